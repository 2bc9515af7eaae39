using System.Globalization;
using Mesos.Core.Agents;
using Mesos.Core.Allocation;
using Mesos.Core.Allocation.Explain;
using Mesos.Core.Attributes;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Masters;
using Mesos.Core.Quotas;
using Mesos.Core.Resources;
using Mesos.Core.State;
using Mesos.Core.Tasks;

namespace Mesos.Tests.Core.Allocation;

/// <summary>
/// A master without a host: commands go through decide and their events through the fold, on a clock the test
/// moves, so allocator tests read as a story (agents join, frameworks subscribe, a cycle runs, offers are used).
/// </summary>
internal sealed class AllocatorWorld
{
    private readonly ClusterDecider decider;
    private int taskNumber;

    /// <param name="minAllocatable">The master's <c>--min_allocatable_resources</c>, recorded at its election; the default if null.</param>
    public AllocatorWorld(IAllocator? allocator = null, string? minAllocatable = null)
    {
        Allocator = allocator ?? new HierarchicalDrfAllocator();
        decider = new ClusterDecider(Allocator);
        Execute(new ElectMaster(new MasterIdentity("m1", "master", "127.0.0.1", 5050, "1.11.0"))
        {
            Principal = "test",
            MinAllocatableResources = minAllocatable is null ? null : MinimumAllocatable.Parse(minAllocatable),
        });
    }

    public IAllocator Allocator { get; }

    public ClusterState State { get; private set; } = ClusterState.Empty;

    public DateTimeOffset Now { get; private set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public List<ClusterEvent> Log { get; } = [];

    public void Advance(TimeSpan by) => Now += by;

    public IReadOnlyList<ClusterEvent> Execute(MasterCommand command)
    {
        var decision = decider.Decide(State, command, Now);
        if (decision.Error is { } error)
        {
            throw new InvalidOperationException($"{command.GetType().Name} refused: {error.Kind} {error.Message}");
        }

        foreach (var @event in decision.Events)
        {
            State = ClusterFold.Apply(State, @event);
            Log.Add(@event);
        }

        return decision.Events;
    }

    public DecideError? TryExecute(MasterCommand command)
    {
        var decision = decider.Decide(State, command, Now);
        if (decision.Error is null)
        {
            foreach (var @event in decision.Events)
            {
                State = ClusterFold.Apply(State, @event);
                Log.Add(@event);
            }
        }

        return decision.Error;
    }

    public AgentId AddAgent(string resources) =>
        Execute(new RegisterAgent(new AgentInfo("agent" + State.NextAgentNumber, 5051, ResourceSet.Parse(resources), AgentAttributes.Empty)) { Principal = "agent" })
            .OfType<AgentRegistered>().Single().AgentId;

    public FrameworkId Subscribe(string name, params string[] roles)
    {
        var info = new FrameworkInfo(name, "user", [.. roles], 0, false, name, "host", string.Empty,
            roles.Length > 1 ? [FrameworkCapability.MultiRole] : []);
        return Execute(new SubscribeFramework(info, null) { Principal = name }).OfType<FrameworkSubscribed>().Single().FrameworkId;
    }

    public IReadOnlyList<OfferMade> Allocate(long seed = 1) =>
        [.. Execute(new RunAllocation(seed) { Principal = "master" }).OfType<OfferMade>()];

    /// <summary>Launches one task using <paramref name="resources"/> from the offer; what is left is refused for <paramref name="refuseSeconds"/>.</summary>
    public void Launch(OfferMade offer, string resources, double refuseSeconds = 0) =>
        Launch(offer, ResourceSet.Parse(resources), refuseSeconds);

    public void Launch(OfferMade offer, ResourceSet resources, double refuseSeconds = 0)
    {
        var id = new TaskId("t" + (taskNumber++).ToString(CultureInfo.InvariantCulture));
        var task = new TaskInfo(id, id.Value, offer.AgentId, resources, new CommandInfo("sleep 1", true, [], [], null), null);
        Execute(new AcceptOffers(offer.FrameworkId, [offer.OfferId], [task], refuseSeconds) { Principal = "framework" });
    }

    public void Decline(OfferMade offer, double? refuseSeconds = 0) =>
        Execute(new DeclineOffers(offer.FrameworkId, [offer.OfferId], refuseSeconds) { Principal = "framework" });

    public void Weights(params (string Role, double Weight)[] weights) =>
        Execute(new UpdateWeights([.. weights.Select(w => new RoleWeight(w.Role, w.Weight))]) { Principal = "operator" });

    public void Quota(string role, string guarantees, string limits, bool force = false) =>
        Execute(new UpdateQuota([new RoleQuota(role, ResourceSet.Parse(guarantees), ResourceSet.Parse(limits))], force) { Principal = "operator" });

    /// <summary>The reasons of a cycle run now with <paramref name="seed"/>, without recording it.</summary>
    public IReadOnlyList<AllocationReason> Explain(FrameworkId? framework = null, AgentId? agent = null, long seed = 1) =>
        ((IAllocationExplainer)Allocator).Explain(State, Now, seed, new ExplainScope(framework, agent)).Reasons;

    public int TasksOf(FrameworkId framework) => State.TasksOf(framework).Count();
}
