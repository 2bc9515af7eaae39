using System.Net;
using System.Net.Sockets;
using Mesos.Agent.Executor;
using Mesos.Protocol.V1;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Tests.Agent;

public sealed class HealthCheckTests : IDisposable
{
    private readonly TempDirectory _workDir = new();

    public void Dispose() => _workDir.Dispose();

    private static HealthCheck Quick(HealthCheck.Types.Type type, uint failures = 2) => new()
    {
        Type = type,
        DelaySeconds = 0,
        IntervalSeconds = 0.1,
        TimeoutSeconds = 2,
        ConsecutiveFailures = failures,
        GracePeriodSeconds = 0,
    };

    [Fact]
    public void Defaults_AreMesos()
    {
        var check = new HealthCheck { Type = HealthCheck.Types.Type.Tcp };

        Assert.Equal(TimeSpan.FromSeconds(15), HealthChecker.Delay(check));
        Assert.Equal(TimeSpan.FromSeconds(10), HealthChecker.Interval(check));
        Assert.Equal(TimeSpan.FromSeconds(20), HealthChecker.TimeoutOf(check));
        Assert.Equal(3u, HealthChecker.ConsecutiveFailures(check));
        Assert.Equal(TimeSpan.FromSeconds(10), HealthChecker.GracePeriod(check));
    }

    [Fact]
    public async Task Command_PassingThenFailing_ReportsHealthyThenUnhealthyThenKillsTheTask()
    {
        var collector = new StatusCollector();
        var launch = TaskLaunches.Shell(_workDir.Path, "sleep 1000", FrameworkInfo.Types.Capability.TaskKillingState);
        launch.Task.HealthCheck = Quick(HealthCheck.Types.Type.Command, failures: 3);

        // Failures before the first success are forgiven in the grace period: the file is not there yet.
        launch.Task.HealthCheck.GracePeriodSeconds = 60;

        // Healthy while the file exists; the test removes it.
        launch.Task.HealthCheck.Command = new CommandInfo { Value = "test -f healthy" };
        var executor = TaskLaunches.Executor(launch, collector);
        var run = executor.RunAsync(CancellationToken.None);
        await collector.WaitForAsync(s => s.State == TaskState.TaskRunning, TimeSpan.FromSeconds(30));
        await File.WriteAllTextAsync(Path.Combine(executor.Directory, "healthy"), "yes");
        await collector.WaitForAsync(s => s is { HasHealthy: true, Healthy: true }, TimeSpan.FromSeconds(30));

        File.Delete(Path.Combine(executor.Directory, "healthy"));
        await run.WaitAsync(TimeSpan.FromSeconds(60));

        var statuses = collector.Statuses;
        var health = statuses.Where(s => s.State == TaskState.TaskRunning && s.HasHealthy).ToList();
        Assert.True(health[0].Healthy);
        Assert.Equal(TaskStatus.Types.Reason.TaskHealthCheckStatusUpdated, health[0].Reason);
        Assert.Equal(3, health.Count(s => !s.Healthy));
        Assert.Equal(TaskState.TaskKilling, statuses[^2].State);
        Assert.Equal(TaskState.TaskKilled, statuses[^1].State);
        Assert.False(statuses[^1].Healthy);
        Assert.True(statuses[^1].HasHealthy);
    }

    [Fact]
    public async Task Command_FailingInItsGracePeriod_IsIgnored()
    {
        var collector = new StatusCollector();
        var launch = TaskLaunches.Shell(_workDir.Path, "sleep 1.5");
        launch.Task.HealthCheck = Quick(HealthCheck.Types.Type.Command, failures: 1);
        launch.Task.HealthCheck.GracePeriodSeconds = 60;
        launch.Task.HealthCheck.Command = new CommandInfo { Value = "exit 1" };
        var executor = TaskLaunches.Executor(launch, collector);

        await executor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([TaskState.TaskStarting, TaskState.TaskRunning, TaskState.TaskFinished], collector.Statuses.Select(s => s.State));
    }

    [Fact]
    public async Task Http_ServerTask_IsReportedHealthyAndKilledWhenItStopsAnswering()
    {
        var port = FreePort();
        var collector = new StatusCollector();

        // The task serves until the test removes its flag file, then stops the server and idles on.
        var launch = TaskLaunches.Shell(_workDir.Path,
            $"touch serve; python3 -m http.server {port} --bind 127.0.0.1 & s=$!; while test -f serve; do sleep 0.1; done; kill $s; sleep 1000");
        launch.Task.HealthCheck = Quick(HealthCheck.Types.Type.Http);
        launch.Task.HealthCheck.GracePeriodSeconds = 60;
        launch.Task.HealthCheck.Http = new HealthCheck.Types.HTTPCheckInfo { Port = (uint)port, Path = "/" };
        var executor = TaskLaunches.Executor(launch, collector);
        var run = executor.RunAsync(CancellationToken.None);

        await collector.WaitForAsync(s => s is { HasHealthy: true, Healthy: true }, TimeSpan.FromSeconds(30));
        File.Delete(Path.Combine(executor.Directory, "serve"));
        await run.WaitAsync(TimeSpan.FromSeconds(60));

        var terminal = collector.Statuses[^1];
        Assert.Equal(TaskState.TaskKilled, terminal.State);
        Assert.False(terminal.Healthy);
        Assert.Equal(2, collector.Statuses.Count(s => s is { State: TaskState.TaskRunning, HasHealthy: true, Healthy: false }));
    }

    [Fact]
    public async Task Tcp_ListeningPort_IsHealthyAndAClosedOneGetsTheTaskKilled()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var collector = new StatusCollector();
        var launch = TaskLaunches.Shell(_workDir.Path, "sleep 1000");
        launch.Task.HealthCheck = Quick(HealthCheck.Types.Type.Tcp);
        launch.Task.HealthCheck.Tcp = new HealthCheck.Types.TCPCheckInfo { Port = (uint)port };
        var executor = TaskLaunches.Executor(launch, collector);
        var run = executor.RunAsync(CancellationToken.None);

        await collector.WaitForAsync(s => s is { HasHealthy: true, Healthy: true }, TimeSpan.FromSeconds(30));
        listener.Stop();
        await run.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(TaskState.TaskKilled, collector.Statuses[^1].State);
        Assert.False(collector.Statuses[^1].Healthy);
    }

    [Fact]
    public async Task Command_TimingOut_CountsAsAFailure()
    {
        var collector = new StatusCollector();
        var launch = TaskLaunches.Shell(_workDir.Path, "sleep 1000");
        launch.Task.HealthCheck = Quick(HealthCheck.Types.Type.Command, failures: 1);
        launch.Task.HealthCheck.TimeoutSeconds = 0.2;
        launch.Task.HealthCheck.Command = new CommandInfo { Value = "sleep 30" };
        var executor = TaskLaunches.Executor(launch, collector);

        await executor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(25));

        Assert.Equal(TaskState.TaskKilled, collector.Statuses[^1].State);
        Assert.Contains(collector.Statuses, s => s is { HasHealthy: true, Healthy: false });
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
