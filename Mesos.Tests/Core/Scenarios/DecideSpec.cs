using Mesos.Core.Allocation;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.State;

namespace Mesos.Tests.Core.Scenarios;

/// <summary>Given these events, when this command at this time, then these events, this error, or nothing.</summary>
public static class DecideSpec
{
    public static readonly ClusterDecider Decider = new(new RoundRobinAllocator());

    public static Decision When(IEnumerable<ClusterEvent> given, MasterCommand command, DateTimeOffset at) =>
        Decider.Decide(ClusterFold.ApplyAll(ClusterState.Empty, given), command, at);

    public static Decision When(ClusterBuilder given, MasterCommand command) => When(given.Log, command, given.Now);

    public static void ThenEvents(this Decision decision, params ClusterEvent[] expected)
    {
        Assert.True(decision.Error is null, $"expected events, got error {decision.Error}");
        if (!decision.Events.SequenceEqual(expected))
        {
            Assert.Fail($"expected:\n  {string.Join("\n  ", expected.AsEnumerable())}\nactual:\n  {string.Join("\n  ", decision.Events)}");
        }
    }

    public static void ThenNothing(this Decision decision)
    {
        Assert.True(decision.Error is null, $"expected no events, got error {decision.Error}");
        Assert.True(decision.Events.IsEmpty, $"expected no events, got:\n  {string.Join("\n  ", decision.Events)}");
    }

    /// <summary>The command is refused with <paramref name="kind"/>, and the message names each of <paramref name="mentions"/>.</summary>
    public static DecideError ThenError(this Decision decision, DecideErrorKind kind, params string[] mentions)
    {
        var error = Assert.IsType<DecideError>(decision.Error);
        Assert.True(decision.Events.IsEmpty, "a refused command must not produce events");
        Assert.Equal(kind, error.Kind);
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, error.Message, StringComparison.Ordinal);
        }

        return error;
    }
}
