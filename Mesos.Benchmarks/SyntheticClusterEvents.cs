using Mesos.Core.Collections;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.Resources;
using Mesos.Core.Tasks;
using TaskStatus = Mesos.Core.Tasks.TaskStatus;

namespace Mesos.Benchmarks;

/// <summary>
/// A deterministic stream shaped like a busy master's log: mostly heartbeats, then offers and their answers,
/// task launches and status updates, over a few hundred agents and a few frameworks.
/// </summary>
internal sealed class SyntheticClusterEvents
{
    private const int Agents = 500;
    private const int Frameworks = 8;

    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly ResourceSet[] OfferShapes =
    [
        ResourceSet.Parse("cpus:8;mem:32768;disk:100000;ports:[31000-32000]"),
        ResourceSet.Parse("cpus:3.5;mem:12288;disk:40000;ports:[31000-31200,31500-32000]"),
        ResourceSet.Parse("cpus(analytics):4;mem(analytics):16384;cpus:2;mem:4096;gpus:1"),
    ];

    private static readonly ResourceSet TaskShape = ResourceSet.Parse("cpus:0.5;mem:512;ports:[31000-31000]");

    private static readonly CommandInfo Command = new(
        "exec ./server --port=$PORT0",
        true,
        ValueArray<string>.Empty,
        [new EnvironmentVariable("MESOS_SANDBOX", "/var/lib/mesos/sandbox"), new EnvironmentVariable("PORT0", "31000")],
        null);

    private long sequence;

    public ClusterEvent Next()
    {
        var n = sequence++;
        var at = Start.AddTicks(n * 13_337);
        var agent = new AgentId($"5f1c8a2e-agent-S{n % Agents}");
        var framework = new FrameworkId($"b7e2-framework-{n % Frameworks:0000}");
        var offer = new OfferId($"5f1c8a2e-O{n / 10}");
        var task = new TaskId($"web-{n / 10}.instance-{n % 7}");
        return (n % 10) switch
        {
            0 or 1 or 2 or 3 => new AgentHeartbeatReceived(agent) { At = at, Principal = "agent" },
            4 => new OfferMade(offer, framework, agent, "web", OfferShapes[n % OfferShapes.Length]) { At = at, Principal = "master" },
            5 => new OfferDeclined(offer, at.AddSeconds(5)) { At = at, Principal = "marathon" },
            6 => new TaskLaunched(
                framework,
                new TaskInfo(task, "web server", agent, TaskShape, Command, TimeSpan.FromSeconds(30)),
                new ExecutorId($"{task.Value}-executor"),
                offer) { At = at, Principal = "marathon" },
            7 => new TaskStatusUpdated(
                framework,
                task,
                agent,
                new TaskStatus(TaskState.Running, null, string.Empty, StatusSource.Executor, Uuid(n), at)) { At = at, Principal = "agent" },
            8 => new TaskStatusAcknowledged(framework, task, agent, Uuid(n)) { At = at, Principal = "marathon" },
            _ => new TaskStatusUpdated(
                framework,
                task,
                agent,
                new TaskStatus(TaskState.Finished, TaskReason.CommandExecutorFailed, "Command exited with status 0", StatusSource.Executor, Uuid(n), at, true)) { At = at, Principal = "agent" },
        };
    }

    private static Guid Uuid(long n)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, n);
        BitConverter.TryWriteBytes(bytes[8..], n * 0x5DEECE66DL);
        return new Guid(bytes);
    }

    public ClusterEvent[] Next(int count)
    {
        var events = new ClusterEvent[count];
        for (var i = 0; i < count; i++)
        {
            events[i] = Next();
        }

        return events;
    }
}
