using Mesos.Core.Agents;
using Mesos.Core.Allocation;
using Mesos.Core.Attributes;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Masters;
using Mesos.Core.Resources;
using Mesos.Core.State;
using Mesos.Core.Tasks;
using TaskStatus = Mesos.Core.Tasks.TaskStatus;

namespace Mesos.Benchmarks;

/// <summary>
/// Generates a realistic log by driving decide and the fold the way a busy master would: agents heartbeat,
/// the allocator offers, frameworks launch a task per offer, tasks run and finish, frameworks acknowledge.
/// Every event is therefore one the real master could have written.
/// </summary>
public static class SyntheticCluster
{
    public static List<ClusterEvent> Generate(int targetEvents, int agents = 100, int frameworks = 10)
    {
        var decider = new ClusterDecider(new RoundRobinAllocator());
        var state = ClusterState.Empty;
        var events = new List<ClusterEvent>(targetEvents + 1000);
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var random = new Random(42);

        void Do(MasterCommand command)
        {
            var decision = decider.Decide(state, command, now);
            if (decision.IsError)
            {
                throw new InvalidOperationException($"{command.GetType().Name}: {decision.Error!.Message}");
            }

            state = ClusterFold.ApplyAll(state, decision.Events);
            events.AddRange(decision.Events);
        }

        Do(new ElectMaster(new MasterIdentity("bench-master", "localhost", "127.0.0.1", 5050, "1.11.0")) { Principal = "master" });
        for (var i = 0; i < agents; i++)
        {
            Do(new RegisterAgent(new AgentInfo($"agent-{i}", 5051, ResourceSet.Parse("cpus:8;mem:16384;disk:100000;ports:[31000-32000]"), AgentAttributes.Parse($"rack:r{i % 10}"))) { Principal = "agent" });
        }

        for (var i = 0; i < frameworks; i++)
        {
            Do(new SubscribeFramework(new FrameworkInfo($"framework-{i}", "root", ["*"], 3600, false, string.Empty, string.Empty, string.Empty, []), null) { Principal = "framework" });
        }

        var taskNumber = 0L;
        var running = new List<(FrameworkId Framework, TaskId Task, AgentId Agent)>();
        while (events.Count < targetEvents)
        {
            now = now.AddSeconds(1);
            foreach (var agent in state.Agents.Keys.Where((_, i) => i % 15 == (int)(now.ToUnixTimeSeconds() % 15)))
            {
                Do(new RecordAgentHeartbeat(agent) { Principal = "agent" });
            }

            Do(new RunAllocation(events.Count) { Principal = "master" });
            foreach (var offer in state.Offers.Values.ToList())
            {
                var task = new TaskInfo(new TaskId($"task-{taskNumber++}"), "sleep", offer.AgentId, ResourceSet.Parse("cpus:0.5;mem:128"),
                    new CommandInfo("sleep 10", true, [], [], null), null);
                Do(new AcceptOffers(offer.FrameworkId, [offer.Id], [task], 0) { Principal = "framework" });
                running.Add((offer.FrameworkId, task.TaskId, offer.AgentId));
            }

            // Finish a random half of what runs, so that the cluster keeps cycling resources.
            for (var i = running.Count - 1; i >= 0; i--)
            {
                if (random.Next(2) == 0)
                {
                    continue;
                }

                var (framework, task, agent) = running[i];
                running.RemoveAt(i);
                foreach (var taskState in new[] { TaskState.Running, TaskState.Finished })
                {
                    var uuid = NewUuid(random);
                    Do(new UpdateTaskStatus(agent, framework, task, new TaskStatus(taskState, null, string.Empty, StatusSource.Executor, uuid, now)) { Principal = "agent" });
                    Do(new AcknowledgeStatus(framework, agent, task, uuid) { Principal = "framework" });
                }
            }
        }

        return events;
    }

    private static Guid NewUuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }
}
