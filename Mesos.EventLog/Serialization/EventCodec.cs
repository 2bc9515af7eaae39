using System.Collections.Frozen;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Mesos.Core.Attributes;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.Resources;

namespace Mesos.EventLog.Serialization;

/// <summary>
/// The stored form of events: the catalogue's stable name and version beside a UTF-8 JSON payload of the whole
/// event record. Every adapter stores exactly these bytes, so a log can move between adapters unchanged.
/// </summary>
public static class EventCodec
{
    // Resource and attribute texts are slow to parse and few distinct ones recur (offer and task shapes).
    private const int ParsedValueCacheCapacity = 4096;

    /// <summary>The options the payloads are written with; read-only, for tools that print or inspect payloads.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static readonly FrozenDictionary<Type, CatalogueCodec> ByType =
        EventCatalogue.Entries.ToFrozenDictionary(e => e.Type, e => new CatalogueCodec(e, Options.GetTypeInfo(e.Type)));

    private static readonly FrozenDictionary<(string Name, int Version), CatalogueCodec> ByName =
        ByType.Values.ToFrozenDictionary(c => (c.Entry.Name, c.Entry.Version));

    public static EncodedEvent Encode(ClusterEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        if (!ByType.TryGetValue(@event.GetType(), out var codec))
        {
            throw new InvalidOperationException($"event type {@event.GetType().Name} is not in the EventCatalogue, so it cannot be stored");
        }

        var payload = JsonSerializer.SerializeToUtf8Bytes(@event, codec.TypeInfo);
        return new EncodedEvent(codec.Entry.Name, codec.Entry.Version, @event.At, @event.Principal, payload);
    }

    /// <summary>
    /// Decodes one stored event. <paramref name="position"/> only names the event in errors: an unknown type throws
    /// <see cref="UnknownEventTypeException"/>, a payload that does not decode <see cref="EventPayloadException"/>.
    /// </summary>
    public static ClusterEvent Decode(long position, string typeName, int version, ReadOnlySpan<byte> payload)
    {
        if (!ByName.TryGetValue((typeName, version), out var codec))
        {
            throw new UnknownEventTypeException(position, typeName, version);
        }

        object? decoded;
        try
        {
            decoded = JsonSerializer.Deserialize(payload, codec.TypeInfo);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or FormatException or ArgumentException or InvalidOperationException)
        {
            throw new EventPayloadException(position, typeName, version, e.Message, e);
        }

        return decoded as ClusterEvent ?? throw new EventPayloadException(position, typeName, version, "the payload is null", null);
    }

    /// <summary>Whether the stored name and version are in this build's catalogue.</summary>
    public static bool IsKnown(string typeName, int version) => ByName.ContainsKey((typeName, version));

    internal static bool HasCompiledMetadata(Type eventType) => EventJsonContext.Default.GetTypeInfo(eventType) is not null;

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            // Generated metadata first; reflection only covers an event added to the catalogue but not yet to the context.
            TypeInfoResolver = JsonTypeInfoResolver.Combine(EventJsonContext.Default, new DefaultJsonTypeInfoResolver()),
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,

            // Payloads are stored, never embedded in HTML: keep quotes and non-ASCII text as they are, readable in
            // the sqlite3 shell and a third of the size of \uXXXX escapes.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            // A payload missing a field or holding null where the record does not allow it is corrupt, not a default.
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            Converters =
            {
                new StringValueConverter<FrameworkId>(s => new FrameworkId(s), id => id.Value),
                new StringValueConverter<AgentId>(s => new AgentId(s), id => id.Value),
                new StringValueConverter<OfferId>(s => new OfferId(s), id => id.Value),
                new StringValueConverter<TaskId>(s => new TaskId(s), id => id.Value),
                new StringValueConverter<ExecutorId>(s => new ExecutorId(s), id => id.Value),
                new StringValueConverter<ResourceSet>(ResourceSet.Parse, r => r.ToString(), cacheCapacity: ParsedValueCacheCapacity),
                new StringValueConverter<AgentAttributes>(AgentAttributes.Parse, a => a.ToString(), cacheCapacity: ParsedValueCacheCapacity),
                new ValueArrayConverterFactory(),
                new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false),
            },
        };
        options.MakeReadOnly(populateMissingResolver: false);
        return options;
    }

    private sealed record CatalogueCodec(EventTypeEntry Entry, JsonTypeInfo TypeInfo);
}
