using Mesos.Agent.Recovery;
using Mesos.Core.Attributes;
using Mesos.Core.Resources;

namespace Mesos.Agent.Configuration;

/// <summary>
/// Everything the agent runtime needs, already parsed and validated. <see cref="AgentHost"/> builds it from
/// Mesos-style flags; tests build it directly and shrink the timings.
/// </summary>
public sealed record AgentOptions
{
    /// <summary>Masters to try in turn, each <c>host:port</c> (gRPC-Web on the master's HTTP port).</summary>
    public required IReadOnlyList<string> Masters { get; init; }

    public required string WorkDir { get; init; }

    public required ResourceSet Resources { get; init; }

    public AgentAttributes Attributes { get; init; } = AgentAttributes.Empty;

    /// <summary>Bind address for the HTTP endpoints; null binds every interface, as Mesos does.</summary>
    public string? Ip { get; init; }

    /// <summary>HTTP port; 0 picks a free one (see <see cref="AgentRuntime.HttpPort"/>).</summary>
    public int Port { get; init; } = 5051;

    /// <summary>The name advertised to the master; null means the machine's hostname.</summary>
    public string? Hostname { get; init; }

    public TimeSpan ExecutorShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Mesos' <c>--executor_registration_timeout</c>: a custom executor not subscribed by then is killed.</summary>
    public TimeSpan ExecutorRegistrationTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>First delay before re-attaching after all masters failed; it doubles up to <see cref="RegistrationBackoffMax"/>.</summary>
    public TimeSpan RegistrationBackoffFactor { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RegistrationBackoffMax { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Mesos' status update retry: 10 s, doubling up to 10 min, until the framework acknowledges.</summary>
    public TimeSpan StatusUpdateRetryInterval { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan StatusUpdateRetryMax { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Mesos' DEFAULT_EXECUTOR_HEARTBEAT_INTERVAL (not a flag in Mesos): how often a subscribed HTTP executor gets a HEARTBEAT.</summary>
    public TimeSpan ExecutorHeartbeatInterval { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Used when the master's <c>registered</c> message carries no heartbeat interval.</summary>
    public TimeSpan DefaultHeartbeatInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The command executor's default SIGTERM-to-SIGKILL grace when the task has no kill policy.</summary>
    public TimeSpan DefaultKillGracePeriod { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Mesos' <c>--recover</c>: re-attach to checkpointed tasks (default), or kill them and start afresh.</summary>
    public RecoverMode Recover { get; init; } = RecoverMode.Reconnect;

    /// <summary>Mesos' <c>--strict</c>: a checkpoint that cannot be read stops the agent instead of being skipped.</summary>
    public bool Strict { get; init; } = true;

    /// <summary>
    /// Whether stopping the agent kills its tasks. In process (tests, benchmarks) it does, so nothing outlives the
    /// host; the tasks of a stopped agent otherwise keep running under their supervisors for the next run to recover.
    /// </summary>
    public bool KillTasksOnStop { get; init; } = true;

    /// <summary>
    /// Mesos' <c>--isolation</c>, e.g. <c>cgroups/cpu,cgroups/mem</c> or <c>posix/cpu,posix/mem</c>; null chooses
    /// cgroups where the machine lets the agent create them, else posix.
    /// </summary>
    public string? Isolation { get; init; }

    /// <summary>Mesos' <c>--cgroups_enable_cfs</c>: a hard CPU cap (CFS quota) from <c>cpus</c>, not only shares.</summary>
    public bool CgroupsEnableCfs { get; init; }

    /// <summary>Mesos' <c>--cgroups_root</c>: the cgroup, in each hierarchy, under which containers get theirs.</summary>
    public string CgroupsRoot { get; init; } = "mesos";

    /// <summary>Mesos' <c>--switch_user</c>: when the agent is root, tasks run as their command's or framework's user.</summary>
    public bool SwitchUser { get; init; } = true;

    /// <summary>Mesos' <c>--gc_delay</c>: how long a finished executor's sandbox and meta directories stay at most.</summary>
    public TimeSpan GcDelay { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Mesos' <c>--gc_disk_headroom</c>: the allowed age is <c>gc_delay * max(0, 1 - headroom - disk usage)</c>.</summary>
    public double GcDiskHeadroom { get; init; } = 0.1;

    /// <summary>Mesos' <c>--disk_watch_interval</c>: how often the disk usage is read to shrink the allowed age.</summary>
    public TimeSpan DiskWatchInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Where the disk usage comes from; null reads the work dir's file system. Tests give a fake one.</summary>
    public GarbageCollection.IDiskUsage? DiskUsage { get; init; }

    /// <summary>What <c>/flags</c> shows; null shows the options themselves in flag form.</summary>
    public IReadOnlyDictionary<string, string>? Flags { get; init; }
}
