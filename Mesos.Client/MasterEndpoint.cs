using System.Globalization;

namespace Mesos.Client;

/// <summary>One master's <c>host:port</c>, as given to <c>--master</c>.</summary>
public sealed record MasterEndpoint(string Host, int Port)
{
    /// <summary>The base address for gRPC-Web and the JSON endpoints; IPv6 literals get their brackets back.</summary>
    public Uri BaseUri => new(string.Create(CultureInfo.InvariantCulture, $"http://{UriHost}:{Port}"));

    private string UriHost => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;

    /// <summary>
    /// Parses <c>host:port</c> or <c>[v6]:port</c>. The error names the bad text and the expected form,
    /// because it usually ends up as the only line a user sees.
    /// </summary>
    public static bool TryParse(string text, out MasterEndpoint? endpoint, out string? error)
    {
        endpoint = null;
        var trimmed = text.Trim();
        string host;
        string port;
        if (trimmed.StartsWith('['))
        {
            var close = trimmed.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= trimmed.Length || trimmed[close + 1] != ':')
            {
                error = $"'{text}' is not host:port (IPv6 addresses look like [::1]:5050)";
                return false;
            }

            host = trimmed[1..close];
            port = trimmed[(close + 2)..];
        }
        else
        {
            var colon = trimmed.LastIndexOf(':');
            if (colon < 0 || trimmed.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                error = trimmed.Contains("://", StringComparison.Ordinal)
                    ? $"'{text}' is not host:port (leave out the scheme: 127.0.0.1:5050)"
                    : $"'{text}' is not host:port (for example 127.0.0.1:5050)";
                return false;
            }

            host = trimmed[..colon];
            port = trimmed[(colon + 1)..];
        }

        if (host.Length == 0 || Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            error = $"'{text}' has no valid host name (expected host:port, for example 127.0.0.1:5050)";
            return false;
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            error = $"'{text}' has no valid port (expected host:port with a port from 1 to 65535)";
            return false;
        }

        endpoint = new MasterEndpoint(host, number);
        error = null;
        return true;
    }

    /// <summary>Parses a comma-separated list of masters (<c>h1:5050,h2:5050</c>), tried in turn.</summary>
    public static IReadOnlyList<MasterEndpoint> ParseList(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            throw new FormatException("No master address given: expected host:port or a list h1:5050,h2:5050");
        }

        var endpoints = new List<MasterEndpoint>(parts.Length);
        foreach (var part in parts)
        {
            if (part.StartsWith("zk://", StringComparison.Ordinal) || part.StartsWith("file://", StringComparison.Ordinal))
            {
                throw new FormatException($"'{part}': ZooKeeper and file master addresses are not supported; give host:port");
            }

            endpoints.Add(TryParse(part, out var endpoint, out var error) ? endpoint! : throw new FormatException("Invalid master address: " + error));
        }

        return endpoints;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{UriHost}:{Port}");
}
