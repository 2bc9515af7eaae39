using System.Reflection;
using Mesos.Core.Events;
using Mesos.Core.State;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.State;

public sealed class FoldCoverageTests
{
    [Fact]
    public void EveryCatalogueEntry_HasAFoldTest()
    {
        var covered = typeof(FoldCoverageTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Where(m => m.GetCustomAttributes<FactAttribute>().Any())
            .SelectMany(m => m.GetCustomAttributes<FoldsEventAttribute>())
            .Select(a => a.EventType)
            .ToHashSet();

        var missing = EventCatalogue.Entries.Where(e => !covered.Contains(e.Type)).Select(e => e.Name).ToList();

        Assert.True(missing.Count == 0, "no fold test is marked [FoldsEvent] for: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryConcreteEventType_IsInTheCatalogue()
    {
        var eventTypes = typeof(ClusterEvent).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(ClusterEvent)) && !t.IsAbstract);

        var missing = eventTypes.Where(t => EventCatalogue.Entries.All(e => e.Type != t)).Select(t => t.Name).ToList();

        Assert.True(missing.Count == 0, "event types missing from the EventCatalogue: " + string.Join(", ", missing));
    }

    [Fact]
    public void Apply_UnknownEventType_ThrowsNamingIt()
    {
        var state = ClusterBuilder.WithMaster().State;

        var error = Assert.Throws<InvalidOperationException>(
            () => ClusterFold.Apply(state, new UnknownClusterEvent("from the future") { At = TestCluster.T0, Principal = "p" }));

        Assert.Contains(nameof(UnknownClusterEvent), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyAll_UnknownEventInTheMiddle_Throws()
    {
        var log = new ClusterEvent[]
        {
            new MasterElected(TestCluster.Master1) { At = TestCluster.T0, Principal = "p" },
            new UnknownClusterEvent("skipped would make replicas disagree") { At = TestCluster.T0, Principal = "p" },
        };

        Assert.Throws<InvalidOperationException>(() => ClusterFold.ApplyAll(ClusterState.Empty, log));
    }
}
