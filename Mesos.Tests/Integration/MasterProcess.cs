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
    private readonly DaemonProcess daemon;

    private MasterProcess(DaemonProcess daemon, int port, string workDir)
    {
        this.daemon = daemon;
        Port = port;
        WorkDir = workDir;
    }

    public int Port { get; }

    public string WorkDir { get; }

    public IReadOnlyCollection<string> Lines => daemon.Lines;

    public bool HasExited => daemon.HasExited;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<MasterProcess> StartAsync(string workDir, int port, CancellationToken ct, params string[] extraFlags)
    {
        var daemon = DaemonProcess.Start(
            "master",
            new[] { "master", $"--port={port}", "--ip=127.0.0.1", "--hostname=127.0.0.1", $"--work_dir={workDir}", "--allocation_interval=100ms" }.Concat(extraFlags));
        var master = new MasterProcess(daemon, port, workDir);
        await master.WaitForLineAsync(ElectedLine(), ct);
        return master;
    }

    /// <summary>Starts a master that will stand by (another leads its shared registry): returns once it says so.</summary>
    public static async Task<MasterProcess> StartStandbyAsync(string workDir, int port, CancellationToken ct, params string[] extraFlags)
    {
        var daemon = DaemonProcess.Start(
            "master",
            new[] { "master", $"--port={port}", "--ip=127.0.0.1", "--hostname=127.0.0.1", $"--work_dir={workDir}", "--allocation_interval=100ms" }.Concat(extraFlags));
        var master = new MasterProcess(daemon, port, workDir);
        await master.WaitForLineAsync(StandbyLine(), ct);
        return master;
    }

    public Task<Match> WaitForLineAsync(Regex pattern, CancellationToken ct) => daemon.WaitForLineAsync(pattern, ct);

    public void Signal(int signal) => daemon.Signal(signal);

    public Task<int> WaitForExitAsync(CancellationToken ct) => daemon.WaitForExitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await daemon.KillAsync(entireTree: true);
        daemon.Dispose();
    }

    [GeneratedRegex(@"Replayed (\d+) events \(log position (\d+)\).*state hash ([0-9a-f]{64})")]
    public static partial Regex ReplayedLine();

    [GeneratedRegex(@"Master loop stopped at log position (\d+); state hash ([0-9a-f]{64})")]
    public static partial Regex StoppedLine();

    [GeneratedRegex(@"Master \S+ elected at log position (\d+)")]
    public static partial Regex ElectedLine();

    [GeneratedRegex(@"Standby on port (\d+)")]
    public static partial Regex StandbyLine();
}
