using System.Text.RegularExpressions;

namespace Mesos.Tests.Integration;

/// <summary>
/// The agent as a real process (`mesos agent`), so a test can kill it with SIGKILL and start it again on the same
/// work_dir. Its tasks are not its children for long: they run under their own supervisors and outlive it.
/// </summary>
public sealed partial class AgentProcess : IAsyncDisposable
{
    private readonly DaemonProcess daemon;

    private AgentProcess(DaemonProcess daemon) => this.daemon = daemon;

    public IReadOnlyCollection<string> Lines => daemon.Lines;

    public static AgentProcess Start(int masterPort, string workDir, params string[] extraFlags) =>
        new(DaemonProcess.Start("agent", new[]
        {
            "agent", $"--master=127.0.0.1:{masterPort}", "--port=0", "--ip=127.0.0.1", "--hostname=127.0.0.1", $"--work_dir={workDir}",
            "--resources=cpus:4;mem:2048;disk:1000;ports:[31000-32000]", "--registration_backoff_factor=100ms",
        }.Concat(extraFlags)));

    public Task<Match> WaitForLineAsync(Regex pattern, CancellationToken ct) => daemon.WaitForLineAsync(pattern, ct);

    /// <summary>SIGKILL (9) gives the agent no chance to do anything, as in a crash; SIGTERM (15) lets it stop.</summary>
    public async Task SignalAndWaitAsync(int signal)
    {
        daemon.Signal(signal);
        await daemon.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        // Only the agent itself: its tasks are cleaned up by the test, from their checkpointed process groups.
        await daemon.KillAsync(entireTree: false);
        daemon.Dispose();
    }

    [GeneratedRegex(@"(Registered|Re-registered) with master \S+ as agent (\S+)")]
    public static partial Regex RegisteredLine();
}
