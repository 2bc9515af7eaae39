using System.Collections.Immutable;
using Mesos.Core.Allocation;
using Mesos.Core.Collections;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Masters;
using Mesos.Core.State;
using Mesos.Core.Tasks;

namespace Mesos.Tests.Core.Scenarios;

/// <summary>
/// Builds a realistic log the way the master would: every step is a command run through decide, and the events
/// it returns are folded. Tests use <see cref="Log"/> as their "given" and <see cref="State"/> as the state before
/// the command or event under test.
/// </summary>
public sealed class ClusterBuilder
{
    private readonly List<ClusterEvent> log = [];
    private int nextUuid = 1;

    public ClusterDecider Decider { get; } = new(new RoundRobinAllocator());

    public ClusterState State { get; private set; } = ClusterState.Empty;

    public DateTimeOffset Now { get; private set; } = TestCluster.T0;

    public IReadOnlyList<ClusterEvent> Log => log;

    /// <summary>An elected master and nothing else.</summary>
    public static ClusterBuilder WithMaster() => new ClusterBuilder().ElectMaster(TestCluster.Master1);

    public ClusterBuilder Advance(TimeSpan by)
    {
        Now += by;
        return this;
    }

    public ClusterBuilder AdvanceSeconds(double seconds) => Advance(TimeSpan.FromSeconds(seconds));

    public Decision Decide(MasterCommand command) => Decider.Decide(State, command, Now);

    /// <summary>Runs a command that must succeed, appends and folds its events, and returns them.</summary>
    public ImmutableArray<ClusterEvent> Execute(MasterCommand command)
    {
        var decision = Decide(command);
        if (decision.Error is { } error)
        {
            throw new InvalidOperationException($"{command.GetType().Name} was refused: {error.Kind}: {error.Message}");
        }

        Append(decision.Events);
        return decision.Events;
    }

    /// <summary>Appends events as they are, for facts no command produces yet (an agent removed by an operator).</summary>
    public ClusterBuilder Append(params IEnumerable<ClusterEvent> events)
    {
        foreach (var @event in events)
        {
            log.Add(@event);
            State = ClusterFold.Apply(State, @event);
        }

        return this;
    }

    public ClusterBuilder ElectMaster(MasterIdentity master)
    {
        Execute(new ElectMaster(master) { Principal = TestCluster.Operator });
        return this;
    }

    public AgentId RegisterAgent(string hostname = "agent1", string resources = TestCluster.AgentResources)
    {
        var events = Execute(new RegisterAgent(TestCluster.Agent(hostname, resources)) { Principal = hostname });
        return ((AgentRegistered)events.Single()).AgentId;
    }

    public FrameworkId Subscribe(FrameworkInfo? info = null)
    {
        var events = Execute(new SubscribeFramework(info ?? TestCluster.Framework(), null) { Principal = "scheduler" });
        return ((FrameworkSubscribed)events.Single()).FrameworkId;
    }

    /// <summary>Runs one allocation cycle and returns the offers it made.</summary>
    public IReadOnlyList<OfferState> Allocate()
    {
        var events = Execute(new RunAllocation(State.AllocationCycles) { Principal = "allocator" });
        return [.. events.OfType<OfferMade>().Select(e => State.Offers[e.OfferId])];
    }

    public OfferState Offer(FrameworkId frameworkId, AgentId agentId) =>
        State.Offers.Values.Single(o => o.FrameworkId == frameworkId && o.AgentId == agentId);

    /// <summary>Accepts the offer with one task; the offer's leftovers are refused for <paramref name="refuseSeconds"/>.</summary>
    public TaskKey Launch(OfferState offer, string taskId, string resources = "cpus:1;mem:128", double? refuseSeconds = 0)
    {
        var task = TestCluster.Task(taskId, offer.AgentId, resources);
        Execute(new AcceptOffers(offer.FrameworkId, [offer.Id], [task], refuseSeconds) { Principal = "scheduler" });
        return new TaskKey(offer.FrameworkId, task.TaskId);
    }

    /// <summary>
    /// Launches one task on the agent from an offer to the framework. Until the framework holds one, other
    /// frameworks decline their offers on that agent (without filter) and the allocator runs again.
    /// </summary>
    public TaskKey LaunchOn(FrameworkId frameworkId, AgentId agentId, string taskId, string resources = "cpus:1;mem:128")
    {
        for (var cycle = 0; cycle <= State.Frameworks.Count && !HoldsOffer(frameworkId, agentId); cycle++)
        {
            foreach (var other in State.Offers.Values.Where(o => o.AgentId == agentId).ToList())
            {
                Execute(new DeclineOffers(other.FrameworkId, [other.Id], 0) { Principal = "scheduler" });
            }

            Allocate();
        }

        return Launch(Offer(frameworkId, agentId), taskId, resources);
    }

    private bool HoldsOffer(FrameworkId frameworkId, AgentId agentId) =>
        State.Offers.Values.Any(o => o.FrameworkId == frameworkId && o.AgentId == agentId);

    public Guid NewUuid() => TestCluster.Uuid(nextUuid++);

    /// <summary>A status update from the task's executor, with a fresh uuid, which this returns.</summary>
    public Guid Update(TaskKey key, TaskState state, StatusSource source = StatusSource.Executor)
    {
        var uuid = NewUuid();
        var agentId = State.Tasks[key].AgentId;
        Execute(new UpdateTaskStatus(agentId, key.FrameworkId, key.TaskId, TestCluster.Status(state, uuid, Now, source)) { Principal = agentId.Value });
        return uuid;
    }

    public ClusterBuilder Ack(TaskKey key, Guid uuid)
    {
        var agentId = State.Tasks[key].AgentId;
        Execute(new AcknowledgeStatus(key.FrameworkId, agentId, key.TaskId, uuid) { Principal = "scheduler" });
        return this;
    }

    /// <summary>Updates the task and acknowledges the update at once, as a prompt scheduler would.</summary>
    public ClusterBuilder UpdateAndAck(TaskKey key, TaskState state)
    {
        var uuid = Update(key, state);
        return Ack(key, uuid);
    }

    /// <summary>A task launched on the agent, RUNNING and acknowledged.</summary>
    public TaskKey RunningTask(FrameworkId frameworkId, AgentId agentId, string taskId, string resources = "cpus:1;mem:128")
    {
        var key = LaunchOn(frameworkId, agentId, taskId, resources);
        UpdateAndAck(key, TaskState.Running);
        return key;
    }

    public ClusterBuilder Reregister(AgentId agentId, params ReportedTask[] tasks)
    {
        Execute(new ReregisterAgent(agentId, State.Agents[agentId].Info, ValueArray.From(tasks)) { Principal = agentId.Value });
        return this;
    }
}
