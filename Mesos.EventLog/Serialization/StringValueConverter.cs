using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mesos.EventLog.Serialization;

/// <summary>
/// Stores a value as one JSON string: ids as their text, resources and attributes in their canonical
/// <c>--resources</c> / <c>--attributes</c> syntax, which their parsers read back to an equal value.
/// </summary>
internal sealed class StringValueConverter<T> : JsonConverter<T>
    where T : notnull
{
    // Longer texts skip the cache: they are rare and would make the stack copy below large.
    private const int MaxCachedLength = 512;

    private readonly Func<string, T> parse;
    private readonly Func<T, string> format;
    private readonly int cacheCapacity;
    private readonly ConcurrentDictionary<string, T>? cache;
    private readonly ConcurrentDictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> cacheBySpan;

    /// <param name="cacheCapacity">
    /// When above zero, parsed values are kept by their text and shared: worth it for immutable values that are
    /// slow to parse and repeat across a log (an agent offers the same resources again and again). The cache is
    /// emptied when full, which bounds it without bookkeeping.
    /// </param>
    public StringValueConverter(Func<string, T> parse, Func<T, string> format, int cacheCapacity = 0)
    {
        this.parse = parse;
        this.format = format;
        this.cacheCapacity = cacheCapacity;
        if (cacheCapacity > 0)
        {
            cache = new ConcurrentDictionary<string, T>(StringComparer.Ordinal);
            cacheBySpan = cache.GetAlternateLookup<ReadOnlySpan<char>>();
        }
    }

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"expected a string for {typeof(T).Name}, got {reader.TokenType}");
        }

        var utf8Length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (cache is null || utf8Length > MaxCachedLength)
        {
            return Parse(reader.GetString()!);
        }

        // Never more chars than UTF-8 bytes, escaped or not.
        Span<char> chars = stackalloc char[MaxCachedLength];
        var text = chars[..reader.CopyString(chars)];
        if (cacheBySpan.TryGetValue(text, out var cached))
        {
            return cached;
        }

        var key = text.ToString();
        var value = Parse(key);
        if (cache.Count >= cacheCapacity)
        {
            cache.Clear();
        }

        cache.TryAdd(key, value);
        return value;
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(format(value));

    private T Parse(string text)
    {
        try
        {
            return parse(text);
        }
        catch (FormatException e)
        {
            throw new JsonException($"'{text}' is not a valid {typeof(T).Name}: {e.Message}", e);
        }
    }
}
