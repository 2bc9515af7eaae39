using System.Globalization;
using Mesos.Client;
using Mesos.EventLog.Sqlite;
using Mesos.Master.Recovery;
using Mesos.Core.State;
using Mesos.Protocol.V1;

namespace Mesos.Tests.Integration;

/// <summary>
/// The master restarted, gracefully (SIGTERM) and not (SIGKILL): it folds its log back to the same state, the
/// agent re-registers, the framework re-subscribes, and a task that ran across the restart still finishes with
/// its update reaching the framework.
/// </summary>
public sealed class MasterRestartTests
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    [Theory]
    [InlineData(SigTerm)]
    [InlineData(SigKill)]
    public async Task Restart_ReplaysToTheSameState_AndARunningTaskStillFinishes(int signal)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var workDir = TempDirectory.Create("restart-master");
        var port = MasterProcess.FreePort();
        var master = await MasterProcess.StartAsync(workDir, port, cts.Token);
        try
        {
            await using var agent = await EndToEndTests.StartAgentAsync(port);
            var agentId = await agent.WaitForRegistrationAsync(cts.Token);

            using var connection = new MasterConnection($"127.0.0.1:{port}");
            await using var driver = new SchedulerDriver(connection, new FrameworkInfo { Name = "restart", User = System.Environment.UserName, FailoverTimeout = 600 });
            driver.Start();
            var offer = await NextAsync(driver, e => e.EventCase == SchedulerEvent.EventOneofCase.Offers, cts.Token);
            var marker = $"restart-{Guid.NewGuid():N}";
            var task = new TaskInfo { TaskId = "across", Name = "across", Command = new CommandInfo { Value = $"sleep 4; echo {marker}" } };
            task.Resources.AddRange(MasterProtocolTests.Resources("cpus", 0.1).Concat(MasterProtocolTests.Resources("mem", 32)));
            await driver.AcceptAsync([offer.Offers.Offers_[0].Id], [task], cancellationToken: cts.Token);
            await NextUpdateAsync(driver, "across", TaskState.TaskRunning, cts.Token);

            var operators = new OperatorClient(connection);
            var before = await operators.GetStateAsync(cancellationToken: cts.Token);

            master.Signal(signal);
            await master.WaitForExitAsync(cts.Token);
            long stoppedAt = 0;
            string? stoppedHash = null;
            if (signal == SigTerm)
            {
                var stopped = await master.WaitForLineAsync(MasterProcess.StoppedLine(), cts.Token);
                stoppedAt = long.Parse(stopped.Groups[1].Value, CultureInfo.InvariantCulture);
                stoppedHash = stopped.Groups[2].Value;
            }

            await master.DisposeAsync();
            master = await MasterProcess.StartAsync(workDir, port, cts.Token);
            var replayed = await master.WaitForLineAsync(MasterProcess.ReplayedLine(), cts.Token);
            var replayedAt = long.Parse(replayed.Groups[2].Value, CultureInfo.InvariantCulture);
            var replayedHash = replayed.Groups[3].Value;

            if (signal == SigTerm)
            {
                Assert.Equal(stoppedAt, replayedAt);
                Assert.Equal(stoppedHash, replayedHash);
            }

            // Independently of the master: the log folded up to the position the old master reported gives the
            // hash it reported, and up to where the new master started gives the hash that one logged.
            Assert.True(replayedAt >= before.Position);
            Assert.Equal(before.StateHash, await HashOfLogPrefixAsync(workDir, before.Position, cts.Token));
            Assert.Equal(replayedHash, await HashOfLogPrefixAsync(workDir, replayedAt, cts.Token));

            // Reconciliation after re-subscribing may report TASK_FINISHED first, without a uuid; the update that
            // counts is the agent's own, which carries one and must arrive too.
            var finished = (await NextAsync(driver, e => e.EventCase == SchedulerEvent.EventOneofCase.Update
                && e.Update.Status.TaskId == "across" && e.Update.Status.State == TaskState.TaskFinished && !e.Update.Status.Uuid.IsEmpty, cts.Token)).Update.Status;
            Assert.Equal(agentId, finished.AgentId);

            var after = await operators.GetStateAsync(cancellationToken: cts.Token);
            Assert.Equal(before.Agents.Select(a => a.Id), after.Agents.Select(a => a.Id));
            Assert.Equal("ACTIVE", after.Agents.Single().State);
            Assert.Contains(after.Frameworks, f => f.Id == driver.FrameworkId && f.State == "ACTIVE");
            Assert.Equal(before.Tasks.Select(t => t.TaskId), after.Tasks.Select(t => t.TaskId));
            Assert.Equal(agent.AgentId, after.Agents.Single().Id);
        }
        finally
        {
            await master.DisposeAsync();
        }
    }

    private static async Task<string> HashOfLogPrefixAsync(string workDir, long position, CancellationToken ct)
    {
        await using var log = await SqliteEventLog.OpenAsync(Path.Combine(workDir, "registry.db"), ct);
        var replay = await LogReplay.ReplayAsync(log, position, ct);
        Assert.Equal(position, replay.Position);
        return StateHash.Compute(replay.State);
    }

    private static async Task<SchedulerEvent> NextAsync(SchedulerDriver driver, Func<SchedulerEvent, bool> wanted, CancellationToken ct)
    {
        await foreach (var @event in driver.ReadEventsAsync(ct))
        {
            if (@event.EventCase == SchedulerEvent.EventOneofCase.Update)
            {
                await driver.AcknowledgeAsync(@event.Update.Status, ct);
            }

            if (wanted(@event))
            {
                return @event;
            }
        }

        throw new InvalidOperationException("the driver's event stream ended");
    }

    private static async Task<Mesos.Protocol.V1.TaskStatus> NextUpdateAsync(SchedulerDriver driver, string taskId, TaskState state, CancellationToken ct) =>
        (await NextAsync(driver, e => e.EventCase == SchedulerEvent.EventOneofCase.Update && e.Update.Status.TaskId == taskId && e.Update.Status.State == state, ct)).Update.Status;
}
