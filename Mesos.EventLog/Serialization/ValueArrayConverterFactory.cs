using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Mesos.Core.Collections;

namespace Mesos.EventLog.Serialization;

/// <summary>
/// <see cref="ValueArray{T}"/> as a plain JSON array. System.Text.Json cannot build it on its own: it is a
/// read-only list with neither a settable collection nor a constructor it recognises.
/// </summary>
internal sealed class ValueArrayConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(ValueArray<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        var converterType = typeof(ValueArrayConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]);
        return (JsonConverter)Activator.CreateInstance(converterType)!;
    }

    private sealed class ValueArrayConverter<T> : JsonConverter<ValueArray<T>>
    {
        // Resolved on first use: asking the options for T while they are still resolving ValueArray<T> could recurse.
        private JsonTypeInfo<T>? items;

        private JsonTypeInfo<T> Items(JsonSerializerOptions options) =>
            items ??= (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));

        public override ValueArray<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException($"expected an array for ValueArray<{typeof(T).Name}>, got {reader.TokenType}");
            }

            var builder = ImmutableArray.CreateBuilder<T>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var item = JsonSerializer.Deserialize(ref reader, Items(options));
                if (item is null)
                {
                    throw new JsonException($"ValueArray<{typeof(T).Name}> holds a null item");
                }

                builder.Add(item);
            }

            return new ValueArray<T>(builder.DrainToImmutable());
        }

        public override void Write(Utf8JsonWriter writer, ValueArray<T> value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            var info = Items(options);
            foreach (var item in value)
            {
                JsonSerializer.Serialize(writer, item, info);
            }

            writer.WriteEndArray();
        }
    }
}
