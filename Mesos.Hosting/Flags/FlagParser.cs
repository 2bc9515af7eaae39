using System.Collections;
using System.Text;

namespace Mesos.Hosting.Flags;

/// <summary>
/// Mesos' flag conventions: <c>--name=value</c> (or <c>--name value</c>), booleans as <c>--name</c> /
/// <c>--no-name</c> / <c>--name=false</c>, and every flag also as <c>MESOS_NAME</c> in the environment, where the
/// part after <c>MESOS_</c> is not case-sensitive (<c>MESOS_master</c> works). The command line wins.
/// Unknown flags on the command line are errors; unknown <c>MESOS_*</c> variables are ignored, as Mesos does,
/// because tasks and executors see many of them.
/// </summary>
public static class FlagParser
{
    public const string EnvironmentPrefix = "MESOS_";

    public static FlagValues Parse(IReadOnlyList<FlagDefinition> definitions, IReadOnlyList<string> args, IDictionary environment)
    {
        var byName = definitions.ToDictionary(d => d.Name, StringComparer.Ordinal);
        var values = definitions.ToDictionary(d => d.Name, d => (Value: d.Default, Source: "its default"), StringComparer.Ordinal);

        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is not string key || !key.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var name = key[EnvironmentPrefix.Length..].ToLowerInvariant();
            if (byName.TryGetValue(name, out var definition))
            {
                var value = entry.Value?.ToString() ?? string.Empty;
                Validate(definition, value, $"environment variable {key}");
                values[name] = (value, $"environment variable {key}");
            }
        }

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new FlagError($"Unexpected argument '{arg}': flags look like --name=value");
            }

            var body = arg[2..];
            var equals = body.IndexOf('=', StringComparison.Ordinal);
            var name = equals >= 0 ? body[..equals] : body;
            string? value = equals >= 0 ? body[(equals + 1)..] : null;

            if (!byName.TryGetValue(name, out var definition))
            {
                if (value is null && name.StartsWith("no-", StringComparison.Ordinal)
                    && byName.TryGetValue(name[3..], out var negated) && negated.Kind == FlagKind.Bool)
                {
                    values[negated.Name] = ("false", "the command line");
                    continue;
                }

                throw new FlagError($"Failed to load unknown flag '{name}' (see --help for the flags there are)");
            }

            if (value is null)
            {
                if (definition.Kind == FlagKind.Bool)
                {
                    value = "true";
                }
                else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    value = args[++i];
                }
                else
                {
                    throw new FlagError($"Flag '--{name}' needs a value: --{name}=VALUE");
                }
            }

            Validate(definition, value, "the command line");
            values[name] = (value, "the command line");
        }

        return new FlagValues(byName, values);
    }

    public static string Help(string usage, IReadOnlyList<FlagDefinition> definitions)
    {
        var builder = new StringBuilder(usage).AppendLine().AppendLine();
        foreach (var definition in definitions.OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            var head = definition.Kind == FlagKind.Bool ? $"  --[no-]{definition.Name}" : $"  --{definition.Name}=VALUE";
            builder.Append(head.PadRight(36)).Append(definition.Help);
            if (definition.Default is not null)
            {
                builder.Append(" (default: ").Append(definition.Default).Append(')');
            }

            builder.AppendLine();
        }

        builder.AppendLine().AppendLine("Every flag can also be set as MESOS_<NAME> in the environment (MESOS_WORK_DIR=...); the command line wins.");
        return builder.ToString();
    }

    private static void Validate(FlagDefinition definition, string value, string source)
    {
        var error = definition.Kind switch
        {
            FlagKind.Int when !int.TryParse(value, out _) => $"'{value}' is not an integer",
            FlagKind.Double when !double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _) => $"'{value}' is not a number",
            FlagKind.Bool when value is not ("true" or "false" or "1" or "0") => $"'{value}' is not true or false",
            FlagKind.Duration when !MesosDuration.TryParse(value, out _, out var durationError) => durationError,
            _ => null,
        };

        if (error is not null)
        {
            throw new FlagError($"Failed to load flag '{definition.Name}' from {source}: {error}");
        }
    }
}
