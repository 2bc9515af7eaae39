using System.Diagnostics;

namespace Mesos.Benchmarks.Failover;

/// <param name="RegistryUrl">The masters' --registry_url: an empty PostgreSQL registry.</param>
/// <param name="StartInfo">Turns `mesos` arguments into a process to start (the caller knows where mesos.dll is).</param>
/// <param name="WorkRoot">A directory for the masters' and agents' work_dirs.</param>
/// <param name="Seed">Seeds the moments of the kills.</param>
/// <param name="Log">Where progress lines go.</param>
public sealed record FailoverRigOptions(
    string RegistryUrl,
    Func<IEnumerable<string>, ProcessStartInfo> StartInfo,
    string WorkRoot,
    int Seed,
    Action<string> Log);
