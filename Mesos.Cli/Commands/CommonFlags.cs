using Mesos.Hosting.Flags;

namespace Mesos.Cli.Commands;

/// <summary>Flags that several commands share, so that they read and default the same everywhere.</summary>
internal static class CommonFlags
{
    public const string DefaultMaster = "127.0.0.1:5050";

    public static readonly FlagDefinition Master = FlagDefinition.String(
        "master", DefaultMaster, "The master as host:port, or a list h1:5050,h2:5050 tried in turn");
}
