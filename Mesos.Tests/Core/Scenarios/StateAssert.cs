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
        SameCanonicalForm(expected, actual);
        Assert.Equal(StateHash.Compute(expected), StateHash.Compute(actual));
    }

    /// <summary>The field-by-field part of <see cref="Equal"/>, without hashing.</summary>
    public static void SameCanonicalForm(ClusterState expected, ClusterState actual)
    {
        var expectedText = StateHash.Canonical(expected);
        var actualText = StateHash.Canonical(actual);
        if (expectedText != actualText)
        {
            var expectedLines = expectedText.Split('\n');
            var actualLines = actualText.Split('\n');
            var i = 0;
            while (i < expectedLines.Length && i < actualLines.Length && expectedLines[i] == actualLines[i])
            {
                i++;
            }

            var e = i < expectedLines.Length ? expectedLines[i] : "<end>";
            var a = i < actualLines.Length ? actualLines[i] : "<end>";
            Assert.Fail($"States differ at canonical line {i}:\n expected: {e}\n actual:   {a}");
        }
    }
}
