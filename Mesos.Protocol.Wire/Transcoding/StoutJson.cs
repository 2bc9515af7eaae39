using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Mesos.Protocol.Wire.Transcoding;

/// <summary>
/// A protobuf message in the JSON Mesos writes for it (stout's <c>JSON::protobuf</c>): fields in field-number
/// order, set fields plus unset ones that declare a default (not deprecated ones), 64-bit integers as numbers,
/// enums by name, bytes as base64, doubles as stout prints them, and nothing but ASCII. Google.Protobuf's
/// JsonFormatter differs on the first three (it writes 64-bit integers as strings), so a Mesos client reading
/// ports ranges or file sizes would see strings where Mesos gives numbers.
/// </summary>
public static class StoutJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly ConcurrentDictionary<MessageDescriptor, FieldDescriptor[]> FieldsInOrder = new();

    /// <summary>The message as ASCII JSON bytes.</summary>
    public static byte[] Serialize(IMessage message)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(json, message);
        }

        return AsciiOnly(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    public static void Write(Utf8JsonWriter json, IMessage message)
    {
        json.WriteStartObject();
        foreach (var field in Fields(message.Descriptor))
        {
            var accessor = field.Accessor;
            if (field.IsMap)
            {
                var map = (IDictionary)accessor.GetValue(message);
                if (map.Count == 0)
                {
                    continue;
                }

                // stout writes a map as an object keyed by the key's text, as protobuf's JSON mapping does.
                var valueField = field.MessageType.FindFieldByNumber(2);
                json.WriteStartObject(field.Name);
                foreach (DictionaryEntry entry in map)
                {
                    json.WritePropertyName(entry.Key is bool flag ? (flag ? "true" : "false") : Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!);
                    WriteValue(json, valueField, entry.Value!);
                }

                json.WriteEndObject();
                continue;
            }

            if (field.IsRepeated)
            {
                var list = (IList)accessor.GetValue(message);
                if (list.Count == 0)
                {
                    continue;
                }

                json.WriteStartArray(field.Name);
                foreach (var item in list)
                {
                    WriteValue(json, field, item);
                }

                json.WriteEndArray();
                continue;
            }

            if (!IsWritten(field, message))
            {
                continue;
            }

            json.WritePropertyName(field.Name);
            WriteValue(json, field, accessor.GetValue(message));
        }

        json.WriteEndObject();
    }

    /// <summary>stout prints doubles with printf's <c>%#.15g</c> and trims trailing zeros down to one after the point: 15 is "15.0".</summary>
    public static void WriteDouble(Utf8JsonWriter json, double value)
    {
        if (!double.IsFinite(value))
        {
            json.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
            return;
        }

        Span<byte> text = stackalloc byte[34];
        value.TryFormat(text, out var written, "G15", CultureInfo.InvariantCulture);
        if (text[..written].IndexOfAny((byte)'E', (byte)'.') < 0)
        {
            text[written++] = (byte)'.';
            text[written++] = (byte)'0';
        }

        json.WriteRawValue(text[..written], skipInputValidation: true);
    }

    /// <summary>Escapes whatever is not ASCII as \uXXXX; outside strings JSON is ASCII already, so this only touches string contents.</summary>
    public static byte[] AsciiOnly(ReadOnlySpan<byte> utf8)
    {
        if (!utf8.ContainsAnyInRange((byte)0x80, (byte)0xFF))
        {
            return utf8.ToArray();
        }

        var text = System.Text.Encoding.UTF8.GetString(utf8);
        var ascii = new System.Text.StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (c < 0x80)
            {
                ascii.Append(c);
            }
            else
            {
                ascii.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
        }

        return System.Text.Encoding.ASCII.GetBytes(ascii.ToString());
    }

    private static bool IsWritten(FieldDescriptor field, IMessage message)
    {
        if (field.FieldType == FieldType.Message)
        {
            return field.Accessor.GetValue(message) is not null;
        }

        if (field.HasPresence)
        {
            if (field.Accessor.HasValue(message))
            {
                return true;
            }

            // stout also writes an unset field whose declaration gives a default, unless it is deprecated.
            var declaration = field.ToProto();
            return declaration.HasDefaultValue && declaration.Options?.Deprecated != true;
        }

        return !Equals(field.Accessor.GetValue(message), DefaultOf(field));
    }

    private static object? DefaultOf(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.String => string.Empty,
        FieldType.Bytes => ByteString.Empty,
        FieldType.Bool => false,
        FieldType.Double => 0d,
        FieldType.Float => 0f,
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => 0L,
        FieldType.UInt64 or FieldType.Fixed64 => 0UL,
        FieldType.UInt32 or FieldType.Fixed32 => 0U,
        FieldType.Enum => null,
        _ => 0,
    };

    private static void WriteValue(Utf8JsonWriter json, FieldDescriptor field, object value)
    {
        switch (field.FieldType)
        {
            case FieldType.Message:
                Write(json, (IMessage)value);
                break;
            case FieldType.String:
                json.WriteStringValue((string)value);
                break;
            case FieldType.Bytes:
                json.WriteStringValue(((ByteString)value).ToBase64());
                break;
            case FieldType.Bool:
                json.WriteBooleanValue((bool)value);
                break;
            case FieldType.Double:
                WriteDouble(json, (double)value);
                break;
            case FieldType.Float:
                WriteDouble(json, (float)value);
                break;
            case FieldType.Enum:
                var number = Convert.ToInt32(value, CultureInfo.InvariantCulture);
                if (field.EnumType.FindValueByNumber(number) is { } known)
                {
                    json.WriteStringValue(known.Name);
                }
                else
                {
                    json.WriteNumberValue(number);
                }

                break;
            case FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64:
                json.WriteNumberValue((long)value);
                break;
            case FieldType.UInt64 or FieldType.Fixed64:
                json.WriteNumberValue((ulong)value);
                break;
            case FieldType.UInt32 or FieldType.Fixed32:
                json.WriteNumberValue((uint)value);
                break;
            default:
                json.WriteNumberValue((int)value);
                break;
        }
    }

    private static FieldDescriptor[] Fields(MessageDescriptor descriptor) =>
        FieldsInOrder.GetOrAdd(descriptor, d => d.Fields.InFieldNumberOrder().ToArray());
}
