namespace Mesos.Hosting.Flags;

/// <summary>Flags after parsing: every defined flag with its value and where the value came from.</summary>
public sealed class FlagValues(IReadOnlyDictionary<string, FlagDefinition> definitions, IReadOnlyDictionary<string, (string? Value, string Source)> values)
{
    public IEnumerable<(string Name, string? Value, string Source)> All =>
        values.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value.Value, kv.Value.Source));

    public bool IsSet(string name) => Entry(name).Value is not null;

    public string? String(string name) => Entry(name).Value;

    public string RequiredString(string name) =>
        Entry(name).Value ?? throw new FlagError($"Flag '--{name}' is required");

    public int Int(string name)
    {
        var (value, source) = Required(name);
        return FlagValueParser.TryParseInt(value, out var number)
            ? number
            : throw new FlagError($"Failed to load flag '{name}' from {source}: '{value}' is not an integer");
    }

    public double Double(string name)
    {
        var (value, source) = Required(name);
        return FlagValueParser.TryParseDouble(value, out var number)
            ? number
            : throw new FlagError($"Failed to load flag '{name}' from {source}: '{value}' is not a number");
    }

    public bool Bool(string name)
    {
        var (value, source) = Required(name);
        return FlagValueParser.TryParseBool(value, out var flag)
            ? flag
            : throw new FlagError($"Failed to load flag '{name}' from {source}: '{value}' is not true or false");
    }

    public TimeSpan Duration(string name)
    {
        var (value, source) = Required(name);
        return MesosDuration.TryParse(value, out var duration, out var error)
            ? duration
            : throw new FlagError($"Failed to load flag '{name}' from {source}: {error}");
    }

    public TimeSpan? OptionalDuration(string name) => IsSet(name) ? Duration(name) : null;

    private (string Value, string Source) Required(string name)
    {
        var (value, source) = Entry(name);
        return value is null ? throw new FlagError($"Flag '--{name}' is required") : (value, source);
    }

    private (string? Value, string Source) Entry(string name) =>
        definitions.ContainsKey(name)
            ? values[name]
            : throw new InvalidOperationException($"flag '{name}' is not defined");
}
