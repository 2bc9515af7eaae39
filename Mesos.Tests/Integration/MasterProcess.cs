using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Mesos.Tests.Integration;

/// <summary>
/// The master as a real process (`mesos master`), so tests can stop it with SIGTERM or SIGKILL and start it
/// again on the same work_dir and port. Its output lines are kept for assertions.
/// </summary>
public sealed partial class MasterProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();

    private MasterProcess(Process process, int port, string workDir)
    {
        this.process = process;
        Port = port;
        WorkDir = workDir;
    }

    public int Port { get; }

    public string WorkDir { get; }

    public IReadOnlyCollection<string> Lines => lines;

    public bool HasExited => process.HasExited;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<MasterProcess> StartAsync(string workDir, int port, CancellationToken ct, params string[] extraFlags)
    {
        var start = SiblingProcess.StartInfo(
            Path.Combine(AppContext.BaseDirectory, "mesos.dll"),
            new[] { "master", $"--port={port}", "--ip=127.0.0.1", "--hostname=127.0.0.1", $"--work_dir={workDir}", "--allocation_interval=100ms" }.Concat(extraFlags));

        var process = new Process { StartInfo = start };
        var master = new MasterProcess(process, port, workDir);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) master.lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) master.lines.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await master.WaitForLineAsync(ElectedLine(), ct);
        return master;
    }

    public async Task<Match> WaitForLineAsync(Regex pattern, CancellationToken ct)
    {
        while (true)
        {
            var match = lines.Select(line => pattern.Match(line)).FirstOrDefault(m => m.Success);
            if (match is not null)
            {
                return match;
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException($"the master exited with code {process.ExitCode} before printing /{pattern}/:\n{string.Join("\n", lines)}");
            }

            await Task.Delay(50, ct);
        }
    }

    public void Signal(int signal)
    {
        if (kill(process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed");
        }
    }

    public async Task<int> WaitForExitAsync(CancellationToken ct)
    {
        await process.WaitForExitAsync(ct);
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    [GeneratedRegex(@"Replayed (\d+) events \(log position (\d+)\).*state hash ([0-9a-f]{64})")]
    public static partial Regex ReplayedLine();

    [GeneratedRegex(@"Master loop stopped at log position (\d+); state hash ([0-9a-f]{64})")]
    public static partial Regex StoppedLine();

    [GeneratedRegex(@"Master \S+ elected at log position (\d+)")]
    public static partial Regex ElectedLine();

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
