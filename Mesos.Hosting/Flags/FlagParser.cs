using System.Collections;
using System.Text;

namespace Mesos.Hosting.Flags;

/// <summary>
/// Mesos' flag conventions: <c>--name=value</c> (or <c>--name value</c>), booleans as <c>--name</c> /
/// <c>--no-name</c> / <c>--name=false</c>, and every flag also as <c>MESOS_NAME</c> in the environment, where the
/// part after <c>MESOS_</c> is not case-sensitive (<c>MESOS_master</c> works). The command line wins, and, as in
/// stout, an environment value that the command line overrides is never read. Unknown flags and flags given twice on
/// the command line are errors; unknown <c>MESOS_*</c> variables are ignored, as Mesos does, because tasks and
/// executors see many of them. Every value that ends up used, defaults included, is checked here, and an error names
/// the flag, the value and where it came from.
/// </summary>
public static class FlagParser
{
    public const string EnvironmentPrefix = "MESOS_";

    private const string CommandLine = "the command line";

    public static FlagValues Parse(IReadOnlyList<FlagDefinition> definitions, IReadOnlyList<string> args, IDictionary environment)
    {
        var byName = definitions.ToDictionary(d => d.Name, StringComparer.Ordinal);
        var values = definitions.ToDictionary(d => d.Name, d => (Value: d.Default, Source: "its default"), StringComparer.Ordinal);

        var given = ReadCommandLine(byName, args);
        foreach (var (name, value) in given)
        {
            values[name] = (value, CommandLine);
        }

        foreach (var (name, settings) in ReadEnvironment(byName, environment))
        {
            if (given.ContainsKey(name))
            {
                continue;
            }

            var distinct = settings.Select(s => s.Value).Distinct(StringComparer.Ordinal).Count();
            if (distinct > 1)
            {
                var listed = string.Join(" and ", settings.Select(s => $"{s.Variable}='{s.Value}'"));
                throw new FlagError($"Flag '{name}' is set differently by environment variables {listed}: keep one");
            }

            values[name] = (settings[0].Value, $"environment variable {settings[0].Variable}");
        }

        foreach (var (name, (value, source)) in values)
        {
            if (value is not null && FlagValueParser.Check(byName[name].Kind, value) is { } error)
            {
                throw new FlagError($"Failed to load flag '{name}' from {source}: {error}");
            }
        }

        return new FlagValues(byName, values);
    }

    public static string Help(string usage, IReadOnlyList<FlagDefinition> definitions)
    {
        var rows = definitions
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .Select(d => (Head: d.Kind == FlagKind.Bool ? $"  --[no-]{d.Name}" : $"  --{d.Name}=VALUE", Definition: d))
            .ToList();
        var width = rows.Count == 0 ? 0 : Math.Max(36, rows.Max(r => r.Head.Length) + 2);

        var builder = new StringBuilder(usage).AppendLine().AppendLine();
        foreach (var (head, definition) in rows)
        {
            builder.Append(head.PadRight(width)).Append(definition.Help);
            if (definition.Default is not null)
            {
                builder.Append(" (default: ").Append(definition.Default).Append(')');
            }

            builder.AppendLine();
        }

        builder.AppendLine().AppendLine("Every flag can also be set as MESOS_<NAME> in the environment (MESOS_WORK_DIR=...); the command line wins.");
        return builder.ToString();
    }

    /// <summary>The flags given on the command line, by name, with booleans already turned into true or false.</summary>
    private static Dictionary<string, string> ReadCommandLine(Dictionary<string, FlagDefinition> byName, IReadOnlyList<string> args)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        var written = new Dictionary<string, string>(StringComparer.Ordinal);
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
                if (!name.StartsWith("no-", StringComparison.Ordinal) || !byName.TryGetValue(name[3..], out definition))
                {
                    throw new FlagError($"Failed to load unknown flag '{name}' (see --help for the flags there are)");
                }

                if (definition.Kind != FlagKind.Bool)
                {
                    throw new FlagError($"Failed to load non-boolean flag '{definition.Name}' via '--{name}': only a boolean can be negated");
                }

                if (value is not null)
                {
                    throw new FlagError($"Failed to load boolean flag '{definition.Name}' via '--{name}' with value '{value}': --no-{definition.Name} takes no value");
                }

                value = "false";
            }
            else if (value is null)
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

            if (written.TryGetValue(definition.Name, out var earlier))
            {
                throw new FlagError($"Flag '{definition.Name}' is given twice on the command line ('{earlier}' and '{arg}')");
            }

            written[definition.Name] = arg;
            given[definition.Name] = value;
        }

        return given;
    }

    /// <summary>The <c>MESOS_*</c> variables that name a defined flag, by flag, in variable-name order.</summary>
    private static SortedDictionary<string, List<(string Variable, string Value)>> ReadEnvironment(
        Dictionary<string, FlagDefinition> byName, IDictionary environment)
    {
        var found = new SortedDictionary<string, List<(string Variable, string Value)>>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is not string key || !key.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var name = key[EnvironmentPrefix.Length..].ToLowerInvariant();
            if (byName.ContainsKey(name))
            {
                if (!found.TryGetValue(name, out var settings))
                {
                    found[name] = settings = [];
                }

                settings.Add((key, entry.Value?.ToString() ?? string.Empty));
            }
        }

        foreach (var settings in found.Values)
        {
            settings.Sort((a, b) => string.CompareOrdinal(a.Variable, b.Variable));
        }

        return found;
    }
}
