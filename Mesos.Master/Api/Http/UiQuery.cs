using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Mesos.Master.Api.Http;

/// <summary>Query parameters of the UI's JSON API, parsed with an error that names the parameter and the value.</summary>
public sealed class UiQuery(HttpRequest request)
{
    private readonly List<string> errors = [];

    public string? Error => errors.Count == 0 ? null : string.Join("; ", errors);

    public string? Text(string name) => request.Query[name] is { Count: > 0 } v && !string.IsNullOrEmpty(v[0]) ? v[0] : null;

    public long? Position(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add($"{name}: '{text}' is not a log position (a non-negative integer)");
        return null;
    }

    public int Count(string name, int fallback, int max)
    {
        var text = Text(name);
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return Math.Min(value, max);
        }

        errors.Add($"{name}: '{text}' is not a non-negative integer");
        return fallback;
    }

    public DateTimeOffset? Time(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }

        errors.Add($"{name}: '{text}' is not a time (ISO 8601, e.g. 2026-11-25T20:00:00Z)");
        return null;
    }
}
