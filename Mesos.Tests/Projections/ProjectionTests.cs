using System.Text.Json;
using Mesos.Core.Events;
using Mesos.Core.State;
using Mesos.Projections;
using Mesos.Projections.Engine;
using Mesos.Projections.Offers;
using Mesos.Projections.Roles;
using Mesos.Projections.Totals;
using Mesos.Projections.Views;
using Mesos.Tests.Core.State;

namespace Mesos.Tests.Projections;

public sealed class ProjectionTests
{
    private static ClusterSimulation Simulate(int seed, int steps = 120)
    {
        var random = new Random(seed);
        return ClusterSimulation.Run(Enumerable.Range(0, steps).Select(_ => new SimulationStep(random.Next(100), random.Next(1 << 16), random.Next(1 << 16), random.Next(13))));
    }

    private static IEnumerable<CommittedEvent> Committed(IReadOnlyList<ClusterEvent> log) =>
        log.Select((e, i) => new CommittedEvent(i + 1, e));

    private static string Describe(ReadModels models) => JsonSerializer.Serialize(new
    {
        agents = models.Agents.Agents.Values,
        frameworks = models.Frameworks.Frameworks.Values,
        tasks = models.Tasks.Tasks.Values,
        roles = models.Roles.Roles,
        totals = models.Totals.Totals,
        samples = models.Totals.Samples,
        history = models.History.Entries(),
        positions = models.Engine.Statuses(),
    });

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RebuildFromZero_GivesReadModelsEqualToTheLiveOnes(int seed)
    {
        var simulation = Simulate(seed);
        var live = new ReadModels(checkpointEvery: 16);
        foreach (var batch in Committed(simulation.Log).Chunk(7))
        {
            live.Engine.ApplyAll(batch);
        }

        var before = Describe(live);
        live.Rebuild(Committed(simulation.Log));
        var fresh = new ReadModels(checkpointEvery: 16);
        fresh.Rebuild(Committed(simulation.Log));

        Assert.Empty(live.Engine.Failures());
        Assert.Equal(simulation.Log.Count, live.Engine.Position);
        Assert.Equal(before, Describe(live));
        Assert.Equal(before, Describe(fresh));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void LiveReadModels_AgreeWithTheMastersFold(int seed)
    {
        var simulation = Simulate(seed, 160);
        var models = new ReadModels();
        models.Engine.ApplyAll(Committed(simulation.Log));
        var state = simulation.State;

        Assert.Equal(StateHash.Compute(state), StateHash.Compute(models.Engine.State));
        Assert.Equal(state.Agents.Values.Select(AgentView.From), models.Agents.Agents.Values);
        foreach (var task in state.Tasks.Values)
        {
            var view = models.Tasks.Tasks[task.Key];
            Assert.True(view.Active);
            Assert.Equal(task.Statuses.Select(s => TaskStates.Name(s.State)), view.Statuses.Select(s => s.State));
        }

        Assert.Equal(JsonSerializer.Serialize(RoleViews.FromState(state).Select(Scalars)), JsonSerializer.Serialize(models.Roles.Roles.Select(Scalars)));
        var totals = TotalsProjection.FromState(state);
        Assert.Equal(totals.Used.Cpus, models.Totals.Totals.Used.Cpus);
        Assert.Equal(totals.Total.Mem, models.Totals.Totals.Total.Mem);
        Assert.Equal(totals.AgentsByState, models.Totals.Totals.AgentsByState);
        Assert.Equal(OffersProjection.FromState(state), models.Offers.Offers.Values);
        Assert.Equal(state.Offers.Count, models.Offers.Offers.Count);
    }

    private static object Scalars(RoleView role) => new { role.Name, role.Weight, a = role.Allocated.Cpus, m = role.Allocated.Mem, o = role.Offered.Cpus, role.DominantShare, role.Frameworks };

    [Fact]
    public void AProjectionThatThrows_ReportsThePositionAndTypeOfTheEvent_AndStopsThere()
    {
        var simulation = Simulate(8);
        var firstLaunch = simulation.Log.Select((e, i) => (e, i)).First(x => x.e is TaskLaunched).i + 1;
        var failing = new FailsOnLaunch();
        var models = new ReadModels(extra: [failing]);

        models.Engine.ApplyAll(Committed(simulation.Log));

        var failure = Assert.Single(models.Engine.Failures());
        Assert.Equal("fails-on-launch", failure.Projection);
        Assert.Equal(firstLaunch, failure.Position);
        Assert.Equal("TaskLaunched", failure.EventType);
        Assert.Contains("TaskLaunched", failure.ToString());
        Assert.Equal(firstLaunch - 1, failing.Position);
        Assert.Equal(firstLaunch - 1, failing.Applied);
        Assert.Equal(simulation.Log.Count, models.Tasks.Position);
        var status = models.Engine.Statuses().Single(s => s.Name == "fails-on-launch");
        Assert.Equal(failure, status.Failure);
    }

    [Fact]
    public void AGapInPositions_IsRefused()
    {
        var simulation = Simulate(9);
        var models = new ReadModels();
        models.Engine.Apply(new CommittedEvent(1, simulation.Log[0]));

        var error = Assert.Throws<InvalidOperationException>(() => models.Engine.Apply(new CommittedEvent(3, simulation.Log[2])));
        Assert.Contains("does not follow on", error.Message);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(11)]
    public async Task StateAtAnyPosition_EqualsTheFoldOfTheLogUpToIt(int seed)
    {
        var simulation = Simulate(seed);
        var models = new ReadModels(checkpointEvery: 10);
        var committed = Committed(simulation.Log).ToList();
        models.Engine.ApplyAll(committed);
        var random = new Random(seed);

        for (var i = 0; i < 20; i++)
        {
            var at = random.Next(0, committed.Count + 1);
            var state = await models.Engine.Checkpoints.StateAtAsync(at, (after, _) => Read(committed, after), CancellationToken.None);
            Assert.Equal(StateHash.Compute(ClusterFold.ApplyAll(ClusterState.Empty, simulation.Log.Take(at))), StateHash.Compute(state));
        }
    }

    [Fact]
    public void HistoryIndex_ListsEveryEventThatTouchedATask_NewestFirst()
    {
        var simulation = Simulate(12, 160);
        var models = new ReadModels();
        models.Engine.ApplyAll(Committed(simulation.Log));
        var task = models.Tasks.Tasks.Values.First();

        var page = models.History.Query(new Mesos.Projections.History.HistoryQuery(null, null, task.Key, null, null, 1000));

        var expected = simulation.Log.Select((e, i) => (e, p: i + 1L))
            .Where(x => x.e is TaskLaunched l && l.Task.TaskId.Value == task.Id && l.FrameworkId.Value == task.FrameworkId
                || x.e is TaskStatusUpdated u && u.TaskId.Value == task.Id && u.FrameworkId.Value == task.FrameworkId)
            .Select(x => x.p);
        Assert.Subset(page.Select(e => e.Position).ToHashSet(), expected.ToHashSet());
        Assert.Equal(page.Select(e => e.Position).OrderDescending(), page.Select(e => e.Position));
        Assert.Equal(task.LaunchedPosition, page[^1].Position);
    }

    private static async IAsyncEnumerable<CommittedEvent> Read(List<CommittedEvent> log, long after)
    {
        foreach (var committed in log.Where(c => c.Position > after))
        {
            await Task.Yield();
            yield return committed;
        }
    }

    private sealed class FailsOnLaunch : IProjection
    {
        public string Name => "fails-on-launch";

        public int Version => 1;

        public long Position { get; private set; }

        public int Applied { get; private set; }

        public void Apply(ProjectionContext context)
        {
            if (context.Event is TaskLaunched)
            {
                throw new InvalidOperationException("cannot fold a launch");
            }

            Applied++;
            Position = context.Position;
        }

        public void Reset() => Position = Applied = 0;
    }
}
