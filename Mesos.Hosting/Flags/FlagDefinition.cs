namespace Mesos.Hosting.Flags;

/// <summary>One Mesos-style flag: <c>--name=value</c> on the command line or <c>MESOS_NAME</c> in the environment.</summary>
public sealed record FlagDefinition(string Name, FlagKind Kind, string? Default, string Help)
{
    public static FlagDefinition String(string name, string? @default, string help) => new(name, FlagKind.String, @default, help);

    public static FlagDefinition Int(string name, int @default, string help) => new(name, FlagKind.Int, @default.ToString(System.Globalization.CultureInfo.InvariantCulture), help);

    public static FlagDefinition Bool(string name, bool @default, string help) => new(name, FlagKind.Bool, @default ? "true" : "false", help);

    public static FlagDefinition Duration(string name, string? @default, string help) => new(name, FlagKind.Duration, @default, help);

    public static FlagDefinition Double(string name, double @default, string help) => new(name, FlagKind.Double, @default.ToString(System.Globalization.CultureInfo.InvariantCulture), help);
}
