using Mesos.Core.State;

namespace Mesos.Tests.Core.Scenarios;

/// <summary>
/// Structural comparison of folded states. <see cref="ClusterState"/> holds immutable collections, whose Equals
/// is by reference, so two folds of one log are never <c>Equals</c>; the canonical form visits every field, so
/// comparing it line by line is a field-by-field comparison that names the first difference.
/// </summary>
public static class StateAssert
{
    public static void Equal(ClusterState expected, ClusterState actual)
    {
        var expectedLines = StateHash.Canonical(expected).Split('\n');
        var actualLines = StateHash.Canonical(actual).Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var e = i < expectedLines.Length ? expectedLines[i] : "<end>";
            var a = i < actualLines.Length ? actualLines[i] : "<end>";
            if (e != a)
            {
                Assert.Fail($"States differ at canonical line {i}:\n expected: {e}\n actual:   {a}");
            }
        }

        Assert.Equal(StateHash.Compute(expected), StateHash.Compute(actual));
    }
}
