using CsCheck;

namespace Mesos.Tests.Core.State;

/// <summary>
/// Randomized runs of decide and the fold. A failure names the CsCheck seed in its message ("Set seed: ..."); pass
/// it as <c>seed:</c> to <c>Sample</c>, or set the environment variable <c>CsCheck_Seed</c>, to replay that run.
/// </summary>
public sealed class ClusterPropertyTests
{
    private static readonly Gen<SimulationStep[]> Runs =
        Gen.Select(Gen.Int[0, 99], Gen.Int[0, 1 << 16], Gen.Int[0, 1 << 16], Gen.Int[0, 12], (kind, pick, detail, seconds) => new SimulationStep(kind, pick, detail, seconds))
            .Array[1, 80];

    [Fact]
    public void RandomCommandSequences_KeepEveryInvariantAfterEveryStepAndReplayToTheSameState()
    {
        Runs.Sample(steps => ClusterSimulation.Run(steps), iter: 300, print: Print);
    }

    [Fact]
    public void LongRunsWithFewFailovers_KeepEveryInvariant()
    {
        var longRuns = Gen.Select(Gen.Int[0, 96], Gen.Int[0, 1 << 16], Gen.Int[0, 1 << 16], Gen.Int[0, 5], (kind, pick, detail, seconds) => new SimulationStep(kind, pick, detail, seconds))
            .Array[150, 250];

        longRuns.Sample(steps => ClusterSimulation.Run(steps), iter: 20, print: Print);
    }

    private static string Print(SimulationStep[] steps) =>
        "[" + string.Join(", ", steps.Select(s => $"new({s.Kind}, {s.Pick}, {s.Detail}, {s.Seconds})")) + "]";
}
