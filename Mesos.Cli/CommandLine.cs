using System.Collections;
using Mesos.Hosting.Flags;

namespace Mesos.Cli;

/// <summary>Splits a command's arguments into positional words and Mesos-style flags, and answers <c>--help</c>.</summary>
internal static class CommandLine
{
    public static bool WantsHelp(IReadOnlyList<string> args) => args.Any(a => a is "--help" or "-h");

    /// <summary>
    /// Parses the flags with <see cref="FlagParser"/> (so <c>MESOS_&lt;FLAG&gt;</c> works) and returns the other words.
    /// A word right after a non-boolean <c>--flag</c> without <c>=</c> is that flag's value, not a positional.
    /// </summary>
    public static (FlagValues Flags, IReadOnlyList<string> Positionals) Parse(
        IReadOnlyList<FlagDefinition> definitions, IReadOnlyList<string> args, IDictionary environment)
    {
        var flags = new List<string>();
        var positionals = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                positionals.Add(arg);
                continue;
            }

            flags.Add(arg);
            var name = arg[2..];
            if (!name.Contains('=', StringComparison.Ordinal)
                && definitions.Any(d => d.Name == name && d.Kind != FlagKind.Bool)
                && i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                flags.Add(args[++i]);
            }
        }

        return (FlagParser.Parse(definitions, flags, environment), positionals);
    }

    /// <summary>Parses a command that takes no positional words.</summary>
    public static FlagValues ParseFlagsOnly(IReadOnlyList<FlagDefinition> definitions, IReadOnlyList<string> args, IDictionary environment)
    {
        var (flags, positionals) = Parse(definitions, args, environment);
        return positionals.Count == 0
            ? flags
            : throw new FlagError($"Unexpected argument '{positionals[0]}': flags look like --name=value");
    }
}
