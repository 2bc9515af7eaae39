using Mesos.Agent.Isolation;

namespace Mesos.Tests.Agent;

/// <summary>
/// Whether this machine lets tests create cgroups. Tests needing them skip (saying why) only when it does not;
/// on the development machines and CI (root, cgroups v1 writable) they run.
/// </summary>
internal static class CgroupsAvailability
{
    private static readonly Lazy<(IsolationConfig? Config, string? Why)> Probe = new(() =>
    {
        try
        {
            return (IsolationConfig.Resolve("cgroups/cpu,cgroups/mem,cgroups/pids", enableCfs: true, () => CgroupsMounts.Detect("mesos-tests")), null);
        }
        catch (IsolationException e)
        {
            return (null, e.Message);
        }
    });

    /// <summary>cgroups/cpu, cgroups/mem and cgroups/pids with CFS quota on, under the <c>mesos-tests</c> root.</summary>
    public static IsolationConfig? Config => Probe.Value.Config;

    public static string SkipReason => "cgroups are not writable here: " + Probe.Value.Why;
}
