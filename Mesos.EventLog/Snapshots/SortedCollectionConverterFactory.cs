using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Mesos.EventLog.Snapshots;

/// <summary>
/// Sorted maps as arrays of <c>[key, value]</c> pairs and sorted sets as arrays, rebuilt with the comparer the fold
/// uses: ordinal for strings (System.Text.Json's own would use the current culture's order, so a restored state
/// would iterate, allocate and hash differently), <see cref="Comparer{T}.Default"/> for the ids, which order
/// themselves ordinally. Pairs rather than JSON objects, because ids are not JSON property names.
/// </summary>
internal sealed class SortedCollectionConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType &&
        (typeToConvert.GetGenericTypeDefinition() == typeof(ImmutableSortedDictionary<,>) ||
         typeToConvert.GetGenericTypeDefinition() == typeof(ImmutableSortedSet<>));

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        var arguments = typeToConvert.GetGenericArguments();
        var converterType = typeToConvert.GetGenericTypeDefinition() == typeof(ImmutableSortedSet<>)
            ? typeof(SetConverter<>).MakeGenericType(arguments)
            : typeof(MapConverter<,>).MakeGenericType(arguments);
        return (JsonConverter)Activator.CreateInstance(converterType)!;
    }

    private static IComparer<T> ComparerFor<T>() =>
        typeof(T) == typeof(string) ? (IComparer<T>)(object)StringComparer.Ordinal : Comparer<T>.Default;

    private static T ReadItem<T>(ref Utf8JsonReader reader, JsonTypeInfo<T> info)
    {
        if (!reader.Read())
        {
            throw new JsonException("the snapshot ends inside a collection");
        }

        return JsonSerializer.Deserialize(ref reader, info) ?? throw new JsonException($"null where a {typeof(T).Name} belongs");
    }

    private sealed class MapConverter<TKey, TValue> : JsonConverter<ImmutableSortedDictionary<TKey, TValue>>
        where TKey : notnull
    {
        private JsonTypeInfo<TKey>? keys;
        private JsonTypeInfo<TValue>? values;

        public override ImmutableSortedDictionary<TKey, TValue> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            keys ??= (JsonTypeInfo<TKey>)options.GetTypeInfo(typeof(TKey));
            values ??= (JsonTypeInfo<TValue>)options.GetTypeInfo(typeof(TValue));
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException($"expected an array of pairs for a map of {typeof(TValue).Name}, got {reader.TokenType}");
            }

            var builder = ImmutableSortedDictionary.CreateBuilder<TKey, TValue>(ComparerFor<TKey>());
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new JsonException($"expected a [key, value] pair, got {reader.TokenType}");
                }

                var key = ReadItem(ref reader, keys);
                var value = ReadItem(ref reader, values);
                if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
                {
                    throw new JsonException("a [key, value] pair has more than two elements");
                }

                if (!builder.TryAdd(key, value))
                {
                    throw new JsonException($"the key {key} appears twice");
                }
            }

            return builder.ToImmutable();
        }

        public override void Write(Utf8JsonWriter writer, ImmutableSortedDictionary<TKey, TValue> value, JsonSerializerOptions options)
        {
            keys ??= (JsonTypeInfo<TKey>)options.GetTypeInfo(typeof(TKey));
            values ??= (JsonTypeInfo<TValue>)options.GetTypeInfo(typeof(TValue));
            writer.WriteStartArray();
            foreach (var (k, v) in value)
            {
                writer.WriteStartArray();
                JsonSerializer.Serialize(writer, k, keys);
                JsonSerializer.Serialize(writer, v, values);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }
    }

    private sealed class SetConverter<T> : JsonConverter<ImmutableSortedSet<T>>
    {
        private JsonTypeInfo<T>? items;

        public override ImmutableSortedSet<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            items ??= (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException($"expected an array for a set of {typeof(T).Name}, got {reader.TokenType}");
            }

            var builder = ImmutableSortedSet.CreateBuilder(ComparerFor<T>());
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                builder.Add(JsonSerializer.Deserialize(ref reader, items) ?? throw new JsonException($"null in a set of {typeof(T).Name}"));
            }

            return builder.ToImmutable();
        }

        public override void Write(Utf8JsonWriter writer, ImmutableSortedSet<T> value, JsonSerializerOptions options)
        {
            items ??= (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
            writer.WriteStartArray();
            foreach (var item in value)
            {
                JsonSerializer.Serialize(writer, item, items);
            }

            writer.WriteEndArray();
        }
    }
}
