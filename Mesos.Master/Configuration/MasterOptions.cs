using Mesos.Core.Allocation;
using Mesos.Core.Quotas;
using Mesos.Hosting.Flags;
using Mesos.Master.Registry;

namespace Mesos.Master.Configuration;

/// <summary>The master's configuration, typed. Built from flags by <see cref="FromFlags"/>, or directly by tests.</summary>
public sealed record MasterOptions(
    string WorkDir,
    int Port,
    string? Ip,
    string Hostname,
    TimeSpan? OfferTimeout,
    TimeSpan AgentPingTimeout,
    int MaxAgentPingTimeouts,
    TimeSpan AllocationInterval,
    TimeSpan FrameworkHeartbeatInterval,
    string? Cluster,
    IReadOnlyList<(string Name, string? Value)> Flags)
{
    public TimeSpan AgentUnreachableAfter => AgentPingTimeout * MaxAgentPingTimeouts;

    public string LogPath => Path.Combine(WorkDir, "registry.db");

    /// <summary><c>--registry</c> and <c>--registry_url</c>; the SQLite file under the work directory unless set.</summary>
    public RegistryOptions Registry { get; init; } = RegistryOptions.Sqlite(Path.Combine(WorkDir, "registry.db"));

    /// <summary><c>--registry_lease</c>: the leader lock's lease on a shared PostgreSQL registry.</summary>
    public TimeSpan RegistryLease { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>--agent_reregister_timeout</c>: how long a newly elected master waits for the agents it recovered from the
    /// log to re-register. The flag refuses less than Mesos' minimum of 10 minutes; tests set shorter ones here.
    /// </summary>
    public TimeSpan AgentReregisterTimeout { get; init; } = MinimumAgentReregisterTimeout;

    /// <summary>Mesos' MIN_AGENT_REREGISTER_TIMEOUT, also the flag's default.</summary>
    public static TimeSpan MinimumAgentReregisterTimeout { get; } = TimeSpan.FromMinutes(10);

    /// <summary><c>--snapshot_interval</c>: events between snapshots of the folded state; 0 writes none (recovery still reads them).</summary>
    public int SnapshotInterval { get; init; } = 10_000;

    /// <summary><c>--weights</c>; empty leaves the log's weights as they are.</summary>
    public IReadOnlyList<RoleWeight> Weights { get; init; } = [];

    /// <summary><c>--min_allocatable_resources</c>.</summary>
    public MinimumAllocatable MinAllocatableResources { get; init; } = MinimumAllocatable.Default;

    /// <summary><c>--log_dir</c>: where the master writes <c>mesos-master.INFO</c>; null writes no log file.</summary>
    public string? LogDir { get; init; }

    /// <summary>Made at start, as glog does, so that a log directory that cannot be written is a flag error and not a crash on the first line.</summary>
    private static string LogDirectory(string logDir)
    {
        var full = Path.GetFullPath(logDir);
        try
        {
            Directory.CreateDirectory(full);
            return full;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FlagError($"Flag '--log_dir': cannot create '{full}': {ex.Message}");
        }
    }

    public static MasterOptions FromFlags(FlagValues flags)
    {
        var port = flags.Int("port");
        if (port is < 0 or > 65535)
        {
            throw new FlagError($"Flag '--port': {port} is not a port number");
        }

        var pings = flags.Int("max_agent_ping_timeouts");
        if (pings < 1)
        {
            throw new FlagError("Flag '--max_agent_ping_timeouts' must be at least 1");
        }

        var allocationInterval = flags.Duration("allocation_interval");
        if (allocationInterval <= TimeSpan.Zero)
        {
            throw new FlagError("Flag '--allocation_interval' must be positive");
        }

        var workDir = Path.GetFullPath(flags.String("work_dir") ?? throw new FlagError("Flag '--work_dir' is required: the master keeps its event log there"));
        var registry = RegistryOptions.FromFlags(flags.String("registry"), flags.String("registry_url"), Path.Combine(workDir, "registry.db"));
        return new MasterOptions(
            WorkDir: workDir,
            Port: port,
            Ip: flags.String("ip"),
            Hostname: flags.String("hostname") ?? System.Net.Dns.GetHostName(),
            OfferTimeout: flags.OptionalDuration("offer_timeout"),
            AgentPingTimeout: flags.Duration("agent_ping_timeout"),
            MaxAgentPingTimeouts: pings,
            AllocationInterval: allocationInterval,
            FrameworkHeartbeatInterval: flags.Duration("framework_heartbeat_interval"),
            Cluster: flags.String("cluster"),
            Flags: flags.All.Select(f => (f.Name, f.Value)).ToList())
        {
            Weights = WeightsFlag.Parse(flags.String("weights")),
            AgentReregisterTimeout = flags.Duration("agent_reregister_timeout") >= MinimumAgentReregisterTimeout
                ? flags.Duration("agent_reregister_timeout")
                : throw new FlagError($"Flag '--agent_reregister_timeout': {flags.String("agent_reregister_timeout")} is less than the minimum of 10mins"),
            MinAllocatableResources = MinimumAllocatable.TryParse(flags.String("min_allocatable_resources") ?? MinimumAllocatable.DefaultText, out var minimum, out var minimumError)
                ? minimum
                : throw new FlagError($"Flag '--min_allocatable_resources': {minimumError}"),
            Registry = registry,
            LogDir = flags.String("log_dir") is { Length: > 0 } logDir ? LogDirectory(logDir) : null,
            SnapshotInterval = flags.Int("snapshot_interval") >= 0
                ? flags.Int("snapshot_interval")
                : throw new FlagError($"Flag '--snapshot_interval': {flags.Int("snapshot_interval")} is negative; give a number of events, or 0 to write no snapshots"),
            RegistryLease = flags.Duration("registry_lease") >= TimeSpan.FromSeconds(1)
                ? flags.Duration("registry_lease")
                : throw new FlagError("Flag '--registry_lease' must be at least 1secs"),
        };
    }
}
