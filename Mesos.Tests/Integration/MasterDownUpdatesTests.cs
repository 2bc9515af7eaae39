using System.Text.Json;
using Mesos.Client;
using Mesos.Protocol.V1;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Tests.Integration;

/// <summary>
/// The master stops while tasks finish: the agent keeps their terminal updates and, once a master is back on the
/// same log, delivers them to the framework, each task's in order, none lost, none twice.
/// </summary>
public sealed class MasterDownUpdatesTests
{
    private const int SigTerm = 15;
    private const int Tasks = 5;

    [Fact]
    public async Task MasterDownWhileTasksFinish_UpdatesArriveWhenItIsBack_InOrderOnceEach()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var workDir = TempDirectory.Create("master-down");
        var port = MasterProcess.FreePort();
        var master = await MasterProcess.StartAsync(workDir, port, cts.Token);
        try
        {
            await using var agent = await EndToEndTests.StartAgentAsync(port);
            await agent.WaitForRegistrationAsync(cts.Token);
            using var connection = new MasterConnection($"127.0.0.1:{port}");
            await using var driver = new SchedulerDriver(connection, new FrameworkInfo { Name = "master-down", User = System.Environment.UserName, FailoverTimeout = 600 });
            driver.Start();
            var seen = new List<TaskStatus>();
            var offer = await NextAsync(driver, seen, e => e.EventCase == SchedulerEvent.EventOneofCase.Offers, cts.Token);

            // Each task waits for a file the test creates once the master is down, so all of them end while it is.
            var release = Path.Combine(workDir, "release");
            var tasks = Enumerable.Range(0, Tasks).Select(i =>
            {
                var task = new TaskInfo
                {
                    TaskId = $"t{i}",
                    Name = $"t{i}",
                    Command = new CommandInfo { Value = $"while [ ! -e {release} ]; do sleep 0.1; done; echo done; exit {(i % 2 == 0 ? 0 : 3)}" },
                };
                task.Resources.AddRange(MasterProtocolTests.Resources("cpus", 0.1).Concat(MasterProtocolTests.Resources("mem", 32)));
                return task;
            }).ToList();
            await driver.AcceptAsync([offer.Offers.Offers_[0].Id], tasks, cancellationToken: cts.Token);
            while (Enumerable.Range(0, Tasks).Any(i => !seen.Any(s => s.TaskId == $"t{i}" && s.State == TaskState.TaskRunning)))
            {
                await NextAsync(driver, seen, e => e.EventCase == SchedulerEvent.EventOneofCase.Update, cts.Token);
            }

            master.Signal(SigTerm);
            await master.WaitForExitAsync(cts.Token);
            await master.DisposeAsync();
            await File.WriteAllTextAsync(release, "go", cts.Token);
            await WaitUntilAgentSaysAllEndedAsync(agent.HttpPort, cts.Token);

            master = await MasterProcess.StartAsync(workDir, port, cts.Token);
            while (Enumerable.Range(0, Tasks).Any(i => !seen.Any(s => s.TaskId == $"t{i}" && IsTerminal(s.State) && !s.Uuid.IsEmpty)))
            {
                await NextAsync(driver, seen, e => e.EventCase == SchedulerEvent.EventOneofCase.Update, cts.Token);
            }

            // Reconciliation after re-subscribing may add updates without a uuid; the agent's own carry one.
            var fromAgent = seen.Where(s => !s.Uuid.IsEmpty).ToList();
            Assert.Equal(fromAgent.Count, fromAgent.Select(s => s.Uuid).Distinct().Count());
            for (var i = 0; i < Tasks; i++)
            {
                var states = fromAgent.Where(s => s.TaskId == $"t{i}").Select(s => s.State).ToList();
                Assert.Equal([TaskState.TaskStarting, TaskState.TaskRunning, i % 2 == 0 ? TaskState.TaskFinished : TaskState.TaskFailed], states);
            }

            Assert.All(fromAgent.Where(s => s.State == TaskState.TaskFailed), s => Assert.Equal("Command exited with status 3", s.Message));
        }
        finally
        {
            await master.DisposeAsync();
        }
    }

    private static bool IsTerminal(TaskState state) => Mesos.Agent.Executor.CommandExecutor.IsTerminal(state);

    private static async Task WaitUntilAgentSaysAllEndedAsync(int agentPort, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{agentPort}") };
        while (true)
        {
            var state = JsonDocument.Parse(await http.GetStringAsync("/state", ct)).RootElement;
            var ended = state.GetProperty("frameworks").EnumerateArray()
                .SelectMany(f => f.GetProperty("executors").EnumerateArray().Concat(f.GetProperty("completed_executors").EnumerateArray()))
                .SelectMany(e => e.GetProperty("tasks").EnumerateArray().Concat(e.GetProperty("completed_tasks").EnumerateArray()))
                .Count(t => t.GetProperty("state").GetString() is "TASK_FINISHED" or "TASK_FAILED");
            if (ended == Tasks)
            {
                return;
            }

            await Task.Delay(100, ct);
        }
    }

    private static async Task<SchedulerEvent> NextAsync(SchedulerDriver driver, List<TaskStatus> seen, Func<SchedulerEvent, bool> wanted, CancellationToken ct)
    {
        await foreach (var @event in driver.ReadEventsAsync(ct))
        {
            if (@event.EventCase == SchedulerEvent.EventOneofCase.Update)
            {
                seen.Add(@event.Update.Status);
                await driver.AcknowledgeAsync(@event.Update.Status, ct);
            }

            if (wanted(@event))
            {
                return @event;
            }
        }

        throw new InvalidOperationException("the driver's event stream ended");
    }
}
