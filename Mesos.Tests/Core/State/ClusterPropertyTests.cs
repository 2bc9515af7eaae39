using CsCheck;
using Mesos.Core.Commands;
using Mesos.Core.Events;
using Mesos.Core.Tasks;

namespace Mesos.Tests.Core.State;

/// <summary>
/// Randomized runs of decide and the fold. A failure names the CsCheck seed in its message ("Set seed: ..."); pass
/// it as <c>seed:</c> to <c>Sample</c>, or set the environment variable <c>CsCheck_Seed</c>, to replay that run.
/// </summary>
public sealed class ClusterPropertyTests
{
    /// <summary>Step kinds of runs about partitions: allocate, accept, decline, update, acknowledge, heartbeats, re-register, health check.</summary>
    private static readonly int[] PartitionKinds = [12, 25, 36, 45, 60, 72, 83, 86];

    private static readonly Gen<SimulationStep[]> Runs =
        Gen.Select(Gen.Int[0, 99], Gen.Int[0, 1 << 16], Gen.Int[0, 1 << 16], Gen.Int[0, 12], (kind, pick, detail, seconds) => new SimulationStep(kind, pick, detail, seconds))
            .Array[1, 80];

    [Fact]
    public void RandomCommandSequences_KeepEveryInvariantAfterEveryStepAndReplayToTheSameState()
    {
        Runs.Sample(steps => ClusterSimulation.Run(steps), iter: 150, print: Print);
    }

    [Fact]
    public void LongRunsWithFewFailovers_KeepEveryInvariant()
    {
        var longRuns = Gen.Select(Gen.Int[0, 96], Gen.Int[0, 1 << 16], Gen.Int[0, 1 << 16], Gen.Int[0, 5], (kind, pick, detail, seconds) => new SimulationStep(kind, pick, detail, seconds))
            .Array[120, 200];

        longRuns.Sample(steps => ClusterSimulation.Run(steps), iter: 6, print: Print);
    }

    /// <summary>Tasks running when their agents go silent, are declared LOST or UNREACHABLE, and come back with them.</summary>
    [Fact]
    public void PartitionsAndReturns_KeepEveryInvariant()
    {
        var kinds = Gen.OneOf(PartitionKinds.Select(Gen.Const).ToArray());
        var partitions = Gen.Select(kinds, Gen.Int[0, 1 << 16], Gen.Int[0, 1 << 16], Gen.Int[0, 40], (kind, pick, detail, seconds) => new SimulationStep(kind, pick, detail, seconds))
            .Array[10, 80];

        partitions.Sample(steps => ClusterSimulation.Run(steps), iter: 60, print: Print);
    }

    [Fact]
    public void Simulation_ReachesEveryEventTypeAndEveryCommandSucceedsSometimes()
    {
        var seen = new HashSet<Type>();
        var outcomes = new HashSet<string>();
        var comebacks = 0;
        for (var seed = 1; seed <= 30; seed++)
        {
            var random = new Random(seed);
            var steps = Enumerable.Range(0, 80).Select(_ => new SimulationStep(random.Next(100), random.Next(1 << 16), random.Next(1 << 16), random.Next(13)));
            var simulation = ClusterSimulation.Run(steps);
            seen.UnionWith(simulation.Log.Select(e => e.GetType()));
            outcomes.UnionWith(simulation.Outcomes.Keys);
        }

        for (var seed = 1; seed <= 10; seed++)
        {
            var random = new Random(seed);
            var steps = Enumerable.Range(0, 60).Select(_ => new SimulationStep(PartitionKinds[random.Next(PartitionKinds.Length)], random.Next(1 << 16), random.Next(1 << 16), random.Next(41)));
            comebacks += ClusterSimulation.Run(steps).Log.OfType<TaskStatusUpdated>().Count(e => e.Status.Reason == TaskReason.AgentReregistered);
        }

        // Version 1 of TaskLaunched is only read from old logs; decide writes version 2.
        var neverProduced = new[] { typeof(AgentRemoved), typeof(TaskLaunched) };
        Assert.All(EventCatalogue.Entries.Select(e => e.Type).Except(neverProduced), type => Assert.Contains(type, seen));
        Assert.All(
            typeof(MasterCommand).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(MasterCommand))),
            type => Assert.Contains(type.Name + ":ok", outcomes));
        Assert.True(comebacks > 0, "no partitioned task came back through its agent's re-registration");
    }

    private static string Print(SimulationStep[] steps) =>
        "[" + string.Join(", ", steps.Select(s => $"new({s.Kind}, {s.Pick}, {s.Detail}, {s.Seconds})")) + "]";
}
