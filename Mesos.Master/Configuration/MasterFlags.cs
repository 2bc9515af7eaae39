using Mesos.Hosting.Flags;

namespace Mesos.Master.Configuration;

/// <summary>The master's flags, with Mesos' names and defaults (mesos-reference.md section 5).</summary>
public static class MasterFlags
{
    public static readonly IReadOnlyList<FlagDefinition> All =
    [
        FlagDefinition.Int("port", 5050, "Port to listen on (HTTP: web UI, JSON endpoints and gRPC-Web)"),
        FlagDefinition.String("ip", null, "IP address to listen on; all interfaces when unset"),
        FlagDefinition.String("hostname", null, "Hostname to advertise; the machine's hostname when unset"),
        FlagDefinition.String("work_dir", null, "Directory for the master's event log (registry.db); required"),
        FlagDefinition.String("registry", "sqlite", "Where the event log lives: sqlite (embedded, under --work_dir; Mesos' replicated_log means the same) or postgres (--registry_url)"),
        FlagDefinition.String("registry_url", null, "With --registry=postgres: a PostgreSQL connection string (Host=...;Database=...;Passfile=...), a postgres:// URL, or file:///path to a file holding either"),
        FlagDefinition.Duration("registry_lease", "5secs", "With --registry=postgres: how long a leader may go silent (paused, cut off) before a standby may take over"),
        FlagDefinition.Int("snapshot_interval", 10000, "Events between snapshots of the folded state, written beside the log so that a start or takeover folds only the tail; 0 writes none"),
        FlagDefinition.Duration("offer_timeout", null, "Rescind offers not used within this long; offers never expire when unset"),
        FlagDefinition.Duration("agent_ping_timeout", "15secs", "How often agents must report in"),
        FlagDefinition.Int("max_agent_ping_timeouts", 5, "Missed reports after which an agent is unreachable"),
        FlagDefinition.Duration("agent_reregister_timeout", "10mins", "How long a newly elected master waits for the agents it knows of to re-register before marking them unreachable (at least 10mins, as Mesos)"),
        FlagDefinition.Duration("allocation_interval", "1secs", "Time between allocation cycles"),
        FlagDefinition.Duration("framework_heartbeat_interval", "15secs", "HEARTBEAT interval on framework event streams"),
        FlagDefinition.String("cluster", null, "Human readable name for the cluster, shown in the web UI"),
        FlagDefinition.String("log_dir", null, "Location to put log files: the master writes mesos-master.INFO there and serves it as /master/log; by default nothing is written to disk"),
        FlagDefinition.String("weights", null, "Role weights for fair sharing, role=weight,...; applied at election when they differ from the log's"),
        FlagDefinition.String("min_allocatable_resources", "cpus:0.01|mem:32", "Smallest offer worth making: alternatives separated by '|', each scalar quantities separated by ';' (an offer must hold all of one)"),
    ];

    public const string Usage = "Usage: mesos master --work_dir=DIR [flags]";
}
