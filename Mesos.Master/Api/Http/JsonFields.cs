using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace Mesos.Master.Api.Http;

/// <summary>
/// Reading Mesos' JSON (stout's mapping, not proto3's): a missing field and <c>null</c> both mean unset, unknown
/// fields are ignored, a value of the wrong JSON kind is a conversion error naming the field.
/// </summary>
public static class JsonFields
{
    /// <summary>
    /// System.Text.Json checks UTF-8 only when a string is read, so a body with broken bytes inside a property name
    /// would parse and then fail deep inside a handler; it is refused up front instead, naming the byte.
    /// </summary>
    public static void EnsureUtf8(ReadOnlySpan<byte> body)
    {
        if (System.Text.Unicode.Utf8.IsValid(body))
        {
            return;
        }

        var offset = 0;
        while (offset < body.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(body[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                throw HttpCallError.BadRequest(string.Create(CultureInfo.InvariantCulture, $"Failed to parse body into JSON: invalid UTF-8 at byte {offset}"));
            }

            offset += consumed;
        }
    }

    public static JsonElement? Field(JsonElement parent, string name, string path)
    {
        if (parent.ValueKind != JsonValueKind.Object)
        {
            throw Mismatch(path, "an object");
        }

        return parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
    }

    public static JsonElement? Object(JsonElement parent, string name, string path)
    {
        var value = Field(parent, name, path);
        return value is { ValueKind: not JsonValueKind.Object } ? throw Mismatch(Join(path, name), "an object") : value;
    }

    public static IEnumerable<JsonElement> Array(JsonElement parent, string name, string path)
    {
        var value = Field(parent, name, path);
        if (value is null)
        {
            return [];
        }

        return value.Value.ValueKind == JsonValueKind.Array
            ? value.Value.EnumerateArray().Where(e => e.ValueKind != JsonValueKind.Null).ToList()
            : throw Mismatch(Join(path, name), "an array");
    }

    public static string? String(JsonElement parent, string name, string path)
    {
        var value = Field(parent, name, path);
        return value is null ? null : AsString(value.Value, Join(path, name));
    }

    public static string AsString(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Mismatch(path, "a string");
        }

        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate escape (\ud800) is valid JSON text but not a string protobuf can hold.
            throw new JsonConversionException($"Field '{path}' is not valid UTF-8");
        }
    }

    public static bool? Bool(JsonElement parent, string name, string path)
    {
        var value = Field(parent, name, path);
        return value?.ValueKind switch
        {
            null => null,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Mismatch(Join(path, name), "a boolean"),
        };
    }

    /// <summary>Doubles: a JSON number, or a string holding one (stout accepts "Infinity" and "-Infinity").</summary>
    public static double? Double(JsonElement parent, string name, string path)
    {
        var value = Field(parent, name, path);
        if (value is null)
        {
            return null;
        }

        var v = value.Value;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var number))
        {
            return number;
        }

        if (v.ValueKind == JsonValueKind.String && double.TryParse(AsString(v, Join(path, name)), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        throw Mismatch(Join(path, name), "a number");
    }

    public static long? Int64(JsonElement parent, string name, string path)
    {
        var value = Field(parent, name, path);
        if (value is null)
        {
            return null;
        }

        var v = value.Value;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n))
        {
            return n;
        }

        if (v.ValueKind == JsonValueKind.String && long.TryParse(AsString(v, Join(path, name)), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        throw Mismatch(Join(path, name), "an integer");
    }

    public static ulong? UInt64(JsonElement parent, string name, string path)
    {
        var value = Field(parent, name, path);
        if (value is null)
        {
            return null;
        }

        var v = value.Value;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetUInt64(out var n))
        {
            return n;
        }

        if (v.ValueKind == JsonValueKind.String && ulong.TryParse(AsString(v, Join(path, name)), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        throw Mismatch(Join(path, name), "an unsigned integer");
    }

    public static byte[]? Bytes(JsonElement parent, string name, string path)
    {
        var text = String(parent, name, path);
        if (text is null)
        {
            return null;
        }

        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new JsonConversionException($"Failed to base64 decode '{Join(path, name)}'");
        }
    }

    /// <summary>An enum given by name; a name this version does not know leaves the field unset, as stout does.</summary>
    public static TEnum? Enum<TEnum>(JsonElement parent, string name, string path)
        where TEnum : struct, System.Enum
    {
        var text = String(parent, name, path);
        return text is not null && EnumName<TEnum>(text) is { } value ? value : null;
    }

    public static TEnum? EnumName<TEnum>(string text)
        where TEnum : struct, System.Enum
    {
        foreach (var value in System.Enum.GetValues<TEnum>())
        {
            if (ProtoName(value) == text)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The .proto name of a generated enum value (e.g. TASK_RUNNING), which is what Mesos' JSON carries.</summary>
    public static string ProtoName<TEnum>(TEnum value)
        where TEnum : struct, System.Enum =>
        ProtoNames<TEnum>.ByValue.TryGetValue(value, out var name) ? name : value.ToString();

    /// <summary>Read once per enum type: a state with 100,000 tasks names their states 200,000 times.</summary>
    private static class ProtoNames<TEnum>
        where TEnum : struct, System.Enum
    {
        public static readonly FrozenDictionary<TEnum, string> ByValue = System.Enum.GetValues<TEnum>()
            .Distinct()
            .ToFrozenDictionary(value => value, value =>
                typeof(TEnum).GetField(value.ToString())?
                    .GetCustomAttributes(typeof(Google.Protobuf.Reflection.OriginalNameAttribute), false)
                    .OfType<Google.Protobuf.Reflection.OriginalNameAttribute>().FirstOrDefault()?.Name ?? value.ToString());
    }

    /// <summary>Mesos' id messages (FrameworkID, OfferID, ...): <c>{"value": "..."}</c>, value required.</summary>
    public static string? Id(JsonElement parent, string name, string path)
    {
        var id = Object(parent, name, path);
        return id is null ? null : AsId(id.Value, Join(path, name));
    }

    public static string AsId(JsonElement id, string path) =>
        id.ValueKind != JsonValueKind.Object
            ? throw Mismatch(path, "an object")
            : String(id, "value", path) ?? throw new JsonConversionException($"Missing required fields: {path}.value");

    public static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static JsonConversionException Mismatch(string path, string expected) =>
        new($"Not expecting a JSON value other than {expected} for field '{path}'");
}
