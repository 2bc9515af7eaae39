using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Mesos.Benchmarks.Failover;

/// <summary>
/// A `mesos master` as a child process that can be killed like a real one. Every output line is kept with the
/// moment it arrived, and waiting for a line wakes on the line itself (no polling), so the time between a signal
/// and a line is measured to within the pipe's latency.
/// </summary>
public sealed partial class MasterDaemon : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<(TimeSpan At, string Line)> lines = new();
    private readonly Stopwatch clock;
    private TaskCompletionSource lineArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private MasterDaemon(Process process, int port, string workDir, Stopwatch clock)
    {
        this.process = process;
        Port = port;
        WorkDir = workDir;
        this.clock = clock;
    }

    public int Port { get; }

    public string WorkDir { get; }

    public string Address => $"127.0.0.1:{Port}";

    public int ProcessId => process.Id;

    public bool HasExited => process.HasExited;

    public IEnumerable<string> Lines => lines.Select(l => l.Line);

    /// <summary>Starts `mesos master` on 127.0.0.1:<paramref name="port"/>; <paramref name="startInfo"/> turns mesos arguments into a process to run.</summary>
    public static MasterDaemon Start(Func<IEnumerable<string>, ProcessStartInfo> startInfo, int port, string workDir, Stopwatch clock, IEnumerable<string> flags)
    {
        var info = startInfo(new[] { "master", $"--port={port}", "--ip=127.0.0.1", "--hostname=127.0.0.1", $"--work_dir={workDir}", "--allocation_interval=100ms" }.Concat(flags));
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var process = new Process { StartInfo = info };
        var daemon = new MasterDaemon(process, port, workDir, clock);
        process.OutputDataReceived += (_, e) => daemon.Received(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Received(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
    }

    /// <summary>The first line matching <paramref name="pattern"/> and when (on the rig's clock) it arrived.</summary>
    public async Task<(Match Match, TimeSpan At)> WaitForLineAsync(Regex pattern, CancellationToken ct)
    {
        while (true)
        {
            var arrived = Volatile.Read(ref lineArrived).Task;

            // Output can trail the exit: once exited, wait for the pipes to drain and look a last time.
            var exited = process.HasExited;
            if (exited)
            {
                await process.WaitForExitAsync(ct).ConfigureAwait(false);
            }

            foreach (var (at, line) in lines)
            {
                if (pattern.Match(line) is { Success: true } match)
                {
                    return (match, at);
                }
            }

            if (exited)
            {
                throw new InvalidOperationException($"master on port {Port} exited with code {process.ExitCode} before printing /{pattern}/:\n{string.Join("\n", Lines.TakeLast(40))}");
            }

            await arrived.WaitAsync(TimeSpan.FromMilliseconds(200), ct).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
        }
    }

    public bool HasPrinted(Regex pattern) => lines.Any(l => pattern.IsMatch(l.Line));

    /// <summary>When (on the rig's clock) the last line matching <paramref name="pattern"/> arrived; <see cref="TimeSpan.MinValue"/> if none did.</summary>
    public TimeSpan LastPrinted(Regex pattern) => lines.Where(l => pattern.IsMatch(l.Line)).Select(l => l.At).DefaultIfEmpty(TimeSpan.MinValue).Last();

    /// <summary>
    /// When (on the rig's clock) this master printed the election it leads by; <see cref="TimeSpan.MinValue"/> while
    /// it has not, or when it went back to standby after its last election (a new leader whose lease ran out).
    /// </summary>
    public TimeSpan ElectedAt
    {
        get
        {
            var at = TimeSpan.MinValue;
            foreach (var (when, line) in lines)
            {
                if (ElectedLine().IsMatch(line))
                {
                    at = when;
                }
                else if (SteppedBackLine().IsMatch(line))
                {
                    at = TimeSpan.MinValue;
                }
            }

            return at;
        }
    }

    /// <summary>How many times this master went back to standby between taking the leader lock and leading.</summary>
    public int StepBacks => lines.Count(l => SteppedBackLine().IsMatch(l.Line));

    public void Signal(int signal)
    {
        if (kill(process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed");
        }
    }

    public async Task<int> WaitForExitAsync(CancellationToken ct)
    {
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }

        process.Dispose();
    }

    [GeneratedRegex(@"Master \S+ elected at log position (\d+)")]
    public static partial Regex ElectedLine();

    [GeneratedRegex(@"Took the leader lock at log position (\d+)")]
    public static partial Regex LockTakenLine();

    [GeneratedRegex(@"back to standby$")]
    public static partial Regex SteppedBackLine();

    [GeneratedRegex(@"Standby on port (\d+)")]
    public static partial Regex StandbyLine();

    [GeneratedRegex(@"Master loop stopped at log position (\d+); state hash ([0-9a-f]{64})")]
    public static partial Regex StoppedLine();

    private void Received(string? line)
    {
        if (line is null)
        {
            return;
        }

        lines.Enqueue((clock.Elapsed, line));
        Interlocked.Exchange(ref lineArrived, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
