using Mesos.Master.Configuration;

namespace Mesos.Benchmarks;

/// <summary>
/// A master for benchmarks that measure one thing: agents never time out, no offer timeout, no snapshots, so no
/// timer or background writer runs inside the figure.
/// </summary>
internal static class BenchmarkMaster
{
    public static MasterOptions Options(string workDir) => new(
        WorkDir: workDir,
        Port: 0,
        Ip: "127.0.0.1",
        Hostname: "127.0.0.1",
        OfferTimeout: null,
        AgentPingTimeout: TimeSpan.FromMinutes(15),
        MaxAgentPingTimeouts: 5,
        AllocationInterval: TimeSpan.FromSeconds(1),
        FrameworkHeartbeatInterval: TimeSpan.FromSeconds(15),
        Cluster: "bench",
        Flags: [])
    {
        SnapshotInterval = 0,
    };
}
