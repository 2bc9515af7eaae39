using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf.Reflection;
using WireType = Google.Protobuf.WireFormat.WireType;

namespace Mesos.Protocol.Wire.Transcoding;

/// <summary>
/// Turns a message in protobuf's JSON mapping straight into protobuf's binary encoding, reading the JSON once and
/// building no message objects. The master renders every response as Mesos JSON and derives the x-protobuf body
/// from it; Google.Protobuf's JsonParser does that by tokenising into strings and setting fields through
/// reflection, which took 5 to 10 s for a GET_STATE of 100,000 tasks. The result parses to the same message as
/// JsonParser with unknown fields ignored (a property test checks it); fields are written in the order the JSON
/// has them, which protobuf parsers accept.
/// </summary>
/// <remarks>
/// Covers what Mesos' protos use: scalars, strings, bytes (base64), enums (by name or number), nested and repeated
/// messages, packed and unpacked repeated scalars, and maps. Well-known types (Timestamp, Any, wrappers, ...) have
/// special JSON forms that Mesos' protos never use; they are refused rather than misread.
/// </remarks>
public static class ProtobufFromJson
{
    private static readonly ConcurrentDictionary<MessageDescriptor, FrozenDictionary<string, FieldDescriptor>> FieldsByName = new();

    /// <summary>The binary encoding of the JSON object <paramref name="json"/> as a <paramref name="descriptor"/> message.</summary>
    /// <exception cref="FormatException">The JSON is not a valid <paramref name="descriptor"/> message.</exception>
    public static byte[] Transcode(MessageDescriptor descriptor, ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        var output = new ProtobufBuffer(Math.Max(256, json.Length / 2));
        try
        {
            Read(ref reader);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Error(ref reader, descriptor.FullName, "expected a JSON object");
            }

            WriteMessageBody(ref reader, descriptor, output);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Invalid JSON for {descriptor.FullName}: {ex.Message}", ex);
        }

        return output.ToArray();
    }

    /// <summary>Reads the fields of the object the reader is on (its StartObject) up to its EndObject.</summary>
    private static void WriteMessageBody(ref Utf8JsonReader reader, MessageDescriptor descriptor, ProtobufBuffer output)
    {
        var fields = FieldsOf(descriptor);
        var lookup = fields.GetAlternateLookup<ReadOnlySpan<char>>();
        while (Read(ref reader) && reader.TokenType != JsonTokenType.EndObject)
        {
            var field = Field(ref reader, lookup);
            Read(ref reader);
            if (field is null)
            {
                reader.Skip();
                continue;
            }

            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }

            if (field.IsMap)
            {
                WriteMap(ref reader, field, output);
            }
            else if (field.IsRepeated)
            {
                WriteRepeated(ref reader, field, output);
            }
            else
            {
                WriteSingle(ref reader, field, output);
            }
        }
    }

    /// <summary>The field the property the reader is on names, or null for a name the message does not have.</summary>
    private static FieldDescriptor? Field(ref Utf8JsonReader reader, FrozenDictionary<string, FieldDescriptor>.AlternateLookup<ReadOnlySpan<char>> lookup)
    {
        if (reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > 128)
        {
            return lookup.Dictionary.GetValueOrDefault(reader.GetString()!);
        }

        // Property names are looked up without allocating a string for each of the millions in a large state.
        Span<char> name = stackalloc char[128];
        var length = Encoding.UTF8.GetChars(reader.ValueSpan, name);
        return lookup.TryGetValue(name[..length], out var field) ? field : null;
    }

    private static void WriteRepeated(ref Utf8JsonReader reader, FieldDescriptor field, ProtobufBuffer output)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Error(ref reader, field.FullName, "expected a JSON array for a repeated field");
        }

        if (field.IsPacked)
        {
            output.WriteTag(field.FieldNumber, WireType.LengthDelimited);
            var start = output.BeginLengthDelimited();
            while (Read(ref reader) && reader.TokenType != JsonTokenType.EndArray)
            {
                WriteValue(ref reader, field, output);
            }

            output.EndLengthDelimited(start);
            return;
        }

        while (Read(ref reader) && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                throw Error(ref reader, field.FullName, "null is not allowed in a repeated field");
            }

            WriteSingle(ref reader, field, output);
        }
    }

    private static void WriteMap(ref Utf8JsonReader reader, FieldDescriptor field, ProtobufBuffer output)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Error(ref reader, field.FullName, "expected a JSON object for a map field");
        }

        var entry = field.MessageType;
        var keyField = entry.FindFieldByNumber(1);
        var valueField = entry.FindFieldByNumber(2);
        while (Read(ref reader) && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            output.WriteTag(field.FieldNumber, WireType.LengthDelimited);
            var start = output.BeginLengthDelimited();
            output.WriteTag(keyField.FieldNumber, TagType(keyField));
            WriteMapKey(key, keyField, output);
            Read(ref reader);
            if (reader.TokenType != JsonTokenType.Null)
            {
                WriteSingle(ref reader, valueField, output);
            }

            output.EndLengthDelimited(start);
        }
    }

    private static void WriteMapKey(string key, FieldDescriptor field, ProtobufBuffer output)
    {
        switch (field.FieldType)
        {
            case FieldType.String:
                output.WriteString(key);
                break;
            case FieldType.Bool:
                output.WriteVarint(key == "true" ? 1UL : key == "false" ? 0UL : throw new FormatException($"Invalid map key '{key}' for {field.FullName}"));
                break;
            default:
                WriteInteger(field, IntegerText(key, field.FullName), output);
                break;
        }
    }

    /// <summary>One occurrence of a field, with its tag.</summary>
    private static void WriteSingle(ref Utf8JsonReader reader, FieldDescriptor field, ProtobufBuffer output)
    {
        output.WriteTag(field.FieldNumber, TagType(field));
        if (field.FieldType == FieldType.Message)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Error(ref reader, field.FullName, "expected a JSON object");
            }

            var start = output.BeginLengthDelimited();
            WriteMessageBody(ref reader, field.MessageType, output);
            output.EndLengthDelimited(start);
            return;
        }

        WriteValue(ref reader, field, output);
    }

    /// <summary>A scalar, string, bytes or enum value, without its tag.</summary>
    private static void WriteValue(ref Utf8JsonReader reader, FieldDescriptor field, ProtobufBuffer output)
    {
        switch (field.FieldType)
        {
            case FieldType.String:
                output.WriteBytes(StringBytes(ref reader, field));
                break;
            case FieldType.Bytes:
                output.WriteBytes(Convert.FromBase64String(reader.TokenType == JsonTokenType.String
                    ? reader.GetString()!
                    : throw Error(ref reader, field.FullName, "expected base64 text")));
                break;
            case FieldType.Bool:
                output.WriteVarint(reader.TokenType switch
                {
                    JsonTokenType.True => 1UL,
                    JsonTokenType.False => 0UL,
                    _ => throw Error(ref reader, field.FullName, "expected true or false"),
                });
                break;
            case FieldType.Double:
                output.WriteFixed64((ulong)BitConverter.DoubleToInt64Bits(Floating(ref reader, field)));
                break;
            case FieldType.Float:
                output.WriteFixed32((uint)BitConverter.SingleToInt32Bits((float)Floating(ref reader, field)));
                break;
            case FieldType.Enum:
                output.WriteVarint((ulong)(long)EnumNumber(ref reader, field));
                break;
            case FieldType.Message or FieldType.Group:
                throw Error(ref reader, field.FullName, "a message cannot be packed");
            default:
                WriteInteger(field, Integer(ref reader, field), output);
                break;
        }
    }

    private static void WriteInteger(FieldDescriptor field, decimal value, ProtobufBuffer output)
    {
        switch (field.FieldType)
        {
            case FieldType.Int32:
                output.WriteVarint((ulong)(long)checked((int)value));
                break;
            case FieldType.Int64:
                output.WriteVarint((ulong)checked((long)value));
                break;
            case FieldType.UInt32:
                output.WriteVarint(checked((uint)value));
                break;
            case FieldType.UInt64:
                output.WriteVarint(checked((ulong)value));
                break;
            case FieldType.SInt32:
                var sint32 = checked((int)value);
                output.WriteVarint((uint)((sint32 << 1) ^ (sint32 >> 31)));
                break;
            case FieldType.SInt64:
                var sint64 = checked((long)value);
                output.WriteVarint((ulong)((sint64 << 1) ^ (sint64 >> 63)));
                break;
            case FieldType.Fixed32:
                output.WriteFixed32(checked((uint)value));
                break;
            case FieldType.SFixed32:
                output.WriteFixed32((uint)checked((int)value));
                break;
            case FieldType.Fixed64:
                output.WriteFixed64(checked((ulong)value));
                break;
            case FieldType.SFixed64:
                output.WriteFixed64((ulong)checked((long)value));
                break;
            default:
                throw new FormatException($"Unsupported field type {field.FieldType} of {field.FullName}");
        }
    }

    /// <summary>Integers come as JSON numbers, or as strings (64-bit ones, as protobuf's JSON writes them).</summary>
    private static decimal Integer(ref Utf8JsonReader reader, FieldDescriptor field)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetInt64(out var whole))
            {
                return whole;
            }

            if (reader.TryGetDecimal(out var number) && number == decimal.Truncate(number))
            {
                return number;
            }

            throw Error(ref reader, field.FullName, "expected an integer");
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            return IntegerText(reader.GetString()!, field.FullName);
        }

        throw Error(ref reader, field.FullName, "expected an integer");
    }

    private static decimal IntegerText(string text, string field) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number)
        && number == decimal.Truncate(number)
            ? number
            : throw new FormatException($"Invalid integer '{text}' for {field}");

    private static double Floating(ref Utf8JsonReader reader, FieldDescriptor field)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetDouble();
        }

        return reader.TokenType == JsonTokenType.String
            ? reader.GetString() switch
            {
                "NaN" => double.NaN,
                "Infinity" => double.PositiveInfinity,
                "-Infinity" => double.NegativeInfinity,
                var text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
                var text => throw Error(ref reader, field.FullName, $"invalid number '{text}'"),
            }
            : throw Error(ref reader, field.FullName, "expected a number");
    }

    private static int EnumNumber(ref Utf8JsonReader reader, FieldDescriptor field)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetInt32();
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            throw Error(ref reader, field.FullName, "expected an enum name");
        }

        var name = reader.GetString()!;
        return field.EnumType.FindValueByName(name)?.Number
            ?? throw Error(ref reader, field.FullName, $"unknown value '{name}' of {field.EnumType.FullName}");
    }

    private static ReadOnlySpan<byte> StringBytes(ref Utf8JsonReader reader, FieldDescriptor field)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw Error(ref reader, field.FullName, "expected a string");
        }

        return !reader.HasValueSequence && !reader.ValueIsEscaped ? reader.ValueSpan : Encoding.UTF8.GetBytes(reader.GetString()!);
    }

    private static WireType TagType(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.String or FieldType.Bytes or FieldType.Message => WireType.LengthDelimited,
        FieldType.Double or FieldType.Fixed64 or FieldType.SFixed64 => WireType.Fixed64,
        FieldType.Float or FieldType.Fixed32 or FieldType.SFixed32 => WireType.Fixed32,
        FieldType.Group => throw new FormatException($"Groups are not supported ({field.FullName})"),
        _ => WireType.Varint,
    };

    private static FrozenDictionary<string, FieldDescriptor> FieldsOf(MessageDescriptor descriptor) =>
        FieldsByName.GetOrAdd(descriptor, static message =>
        {
            if (message.File.Package == "google.protobuf")
            {
                throw new FormatException($"Well-known type {message.FullName} has a JSON form this transcoder does not read");
            }

            // Both spellings are accepted, as JsonParser does: the proto name Mesos writes, and the JSON name.
            var names = new Dictionary<string, FieldDescriptor>(StringComparer.Ordinal);
            foreach (var field in message.Fields.InDeclarationOrder())
            {
                names.TryAdd(field.Name, field);
                names.TryAdd(field.JsonName, field);
            }

            return names.ToFrozenDictionary(StringComparer.Ordinal);
        });

    private static bool Read(ref Utf8JsonReader reader) =>
        reader.Read() ? true : throw new FormatException("Unexpected end of JSON");

    private static FormatException Error(ref Utf8JsonReader reader, string field, string what) =>
        new($"Invalid JSON for {field} at byte {reader.TokenStartIndex}: {what}, found {reader.TokenType}");
}
