using System.Collections;
using System.Net;
using Mesos.Agent.Recovery;
using Mesos.Core.Attributes;
using Mesos.Core.Resources;
using Mesos.Hosting.Flags;

namespace Mesos.Agent.Configuration;

/// <summary>The agent's Mesos flags (names and defaults as <c>mesos-agent</c>) and their translation to <see cref="AgentOptions"/>.</summary>
public static class AgentFlags
{
    public const string DefaultWorkDir = "/tmp/mesos/agent";

    public static IReadOnlyList<FlagDefinition> Definitions { get; } =
    [
        FlagDefinition.String("master", null, "Masters to attach to: host:port, or h1:5050,h2:5050 tried in turn, or file:///path holding either (required)"),
        FlagDefinition.Int("port", 5051, "Port for the agent's HTTP endpoints; 0 picks a free one"),
        FlagDefinition.String("ip", null, "Address to bind the HTTP endpoints to (default: all interfaces)"),
        FlagDefinition.String("hostname", null, "Hostname advertised to the master (default: this machine's hostname)"),
        FlagDefinition.String("work_dir", DefaultWorkDir, "Where sandboxes and meta/ live. Mesos requires this flag; this agent defaults it"),
        FlagDefinition.String("resources", null, "Total resources, e.g. cpus:4;mem:8192;disk:40960;ports:[31000-32000]; what is not named is detected (cpus = cores, mem = total - 1GB, disk = free space - 5GB, ports [31000-32000])"),
        FlagDefinition.String("attributes", null, "Attributes, e.g. rack:r1;zone:west;level:10"),
        FlagDefinition.Duration("executor_shutdown_grace_period", "5secs", "Upper bound on how long a task being shut down may take before it is killed"),
        FlagDefinition.Duration("executor_registration_timeout", "1mins", "How long a custom executor may take to subscribe before it is killed and its tasks fail"),
        FlagDefinition.String("recover", "reconnect", "What to do with the tasks a previous run of the agent checkpointed: reconnect (re-attach to those still running, report those that ended, keep the agent id) or cleanup (kill them, forget them and the agent id, then exit)"),
        FlagDefinition.Bool("strict", true, "Refuse to start when a checkpoint cannot be read; false skips it with a warning"),
        FlagDefinition.String("isolation", null, "Isolators: cgroups/cpu, cgroups/mem, cgroups/pids, posix/cpu, posix/mem, filesystem/posix (default: cgroups/cpu,cgroups/mem where the agent can create cgroups, else posix/cpu,posix/mem). One asked for that this machine cannot give is a start-up error"),
        FlagDefinition.Bool("cgroups_enable_cfs", false, "Cap each container's CPU at its cpus with a CFS quota, not only weight it with shares"),
        FlagDefinition.String("cgroups_root", "mesos", "Name of the cgroup under which each container's cgroups are created"),
        FlagDefinition.Bool("switch_user", true, "Run tasks as their CommandInfo.user, else FrameworkInfo.user, when the agent runs as root"),
        FlagDefinition.Duration("registration_backoff_factor", "1secs", "First delay between attach attempts after every master failed; doubles up to 15secs"),
        FlagDefinition.Duration("gc_delay", "1weeks", "Maximum amount of time to wait before cleaning up executor directories (e.g., 3days, 2weeks). This delay may be shorter depending on the available disk usage"),
        FlagDefinition.Double("gc_disk_headroom", 0.1, "Adjust disk headroom used to calculate maximum executor directory age. Age is calculated by: gc_delay * max(0.0, (1.0 - gc_disk_headroom - disk usage)) every --disk_watch_interval duration. gc_disk_headroom must be a value between 0.0 and 1.0"),
        FlagDefinition.Duration("disk_watch_interval", "1mins", "Periodic time interval (e.g., 10secs, 2mins) to check the overall disk usage managed by the agent. This drives the garbage collection of sandboxes"),
    ];

    public static string Help { get; } = FlagParser.Help("Usage: mesos agent --master=HOST:PORT [--work_dir=DIR] [flags]", Definitions);

    /// <summary>Parses and validates every flag; throws <see cref="FlagError"/> with a one-line message naming what is wrong.</summary>
    public static AgentOptions Parse(IReadOnlyList<string> args, IDictionary environment)
    {
        var values = FlagParser.Parse(Definitions, args, environment);

        var masters = ParseMasters(values.RequiredString("master"));

        var port = values.Int("port");
        if (port is < 0 or > 65535)
        {
            throw new FlagError($"Failed to load flag 'port': {port} is not a port number");
        }

        var ip = values.String("ip");
        if (ip is not null && !IPAddress.TryParse(ip, out _))
        {
            throw new FlagError($"Failed to load flag 'ip': '{ip}' is not an IP address");
        }

        var workDir = values.RequiredString("work_dir");
        if (workDir.Trim().Length == 0)
        {
            throw new FlagError("Failed to load flag 'work_dir': it is empty");
        }

        workDir = Path.GetFullPath(workDir);

        var given = ResourceSet.Empty;
        if (values.String("resources") is { } resourcesText)
        {
            if (!ResourceSet.TryParse(resourcesText, out var parsed, out var error))
            {
                throw new FlagError($"Failed to load flag 'resources': {error}");
            }

            given = parsed;
        }

        var attributes = AgentAttributes.Empty;
        if (values.String("attributes") is { } attributesText)
        {
            if (!AgentAttributes.TryParse(attributesText, out var parsed, out var error))
            {
                throw new FlagError($"Failed to load flag 'attributes': {error}");
            }

            attributes = parsed;
        }

        var recover = values.RequiredString("recover") switch
        {
            "reconnect" => RecoverMode.Reconnect,
            "cleanup" => RecoverMode.Cleanup,
            var other => throw new FlagError($"Failed to load flag 'recover': '{other}' is not reconnect or cleanup"),
        };

        // As Mesos' agent refuses these at start-up (slave.cpp), rather than collecting at random.
        var gcDiskHeadroom = values.Double("gc_disk_headroom");
        if (!(gcDiskHeadroom is >= 0.0 and <= 1.0))
        {
            throw new FlagError($"Invalid value '{gcDiskHeadroom.ToString(System.Globalization.CultureInfo.InvariantCulture)}' for --gc_disk_headroom. Must be between 0.0 and 1.0");
        }

        var diskWatchInterval = values.Duration("disk_watch_interval");
        if (diskWatchInterval <= TimeSpan.Zero)
        {
            throw new FlagError("Invalid value for --disk_watch_interval: it must be longer than zero");
        }

        return new AgentOptions
        {
            Masters = masters,
            Port = port,
            Ip = ip,
            Hostname = values.String("hostname"),
            WorkDir = workDir,
            Resources = ResourceDetector.Complete(given, workDir),
            Attributes = attributes,
            ExecutorShutdownGracePeriod = values.Duration("executor_shutdown_grace_period"),
            ExecutorRegistrationTimeout = values.Duration("executor_registration_timeout"),
            RegistrationBackoffFactor = values.Duration("registration_backoff_factor"),
            Recover = recover,
            Strict = values.Bool("strict"),
            Isolation = values.String("isolation"),
            CgroupsEnableCfs = values.Bool("cgroups_enable_cfs"),
            CgroupsRoot = CgroupsRoot(values.RequiredString("cgroups_root")),
            SwitchUser = values.Bool("switch_user"),
            GcDelay = values.Duration("gc_delay"),
            GcDiskHeadroom = gcDiskHeadroom,
            DiskWatchInterval = diskWatchInterval,

            // As Mesos: SIGTERM ends the agent, not its tasks; the next run recovers them.
            KillTasksOnStop = false,
            Flags = values.All
                .Where(f => f.Value is not null)
                .ToDictionary(f => f.Name, f => f.Value!, StringComparer.Ordinal),
        };
    }

    private static string CgroupsRoot(string value) =>
        value.Trim('/').Length == 0 || value.Split('/').Any(s => s is ".." or ".") || value.Any(char.IsWhiteSpace)
            ? throw new FlagError($"Failed to load flag 'cgroups_root': '{value}' is not a relative cgroup path without spaces")
            : value.Trim('/');

    /// <summary>Reads <c>--master</c>: a comma-separated list of host:port, or <c>file://</c> pointing at one.</summary>
    public static IReadOnlyList<string> ParseMasters(string text)
    {
        var value = text.Trim();
        if (value.StartsWith("file://", StringComparison.Ordinal))
        {
            var path = value["file://".Length..];
            try
            {
                value = File.ReadAllText(path).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new FlagError($"Failed to load flag 'master': cannot read '{path}': {e.Message}");
            }
        }

        if (value.StartsWith("zk://", StringComparison.Ordinal))
        {
            throw new FlagError("Failed to load flag 'master': ZooKeeper detection (zk://) is not supported; list the masters as h1:5050,h2:5050");
        }

        var masters = new List<string>();
        foreach (var raw in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var entry = raw;
            if (entry.StartsWith("http://", StringComparison.Ordinal))
            {
                entry = entry["http://".Length..].TrimEnd('/');
            }

            var colon = entry.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(entry[(colon + 1)..], out var masterPort) || masterPort is <= 0 or > 65535)
            {
                throw new FlagError($"Failed to load flag 'master': '{raw}' is not host:port");
            }

            masters.Add(entry);
        }

        return masters.Count > 0
            ? masters
            : throw new FlagError("Failed to load flag 'master': no master given (use host:port)");
    }
}
