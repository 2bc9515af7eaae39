using System.Globalization;
using Npgsql;

namespace Mesos.EventLog.Marten;

/// <summary>
/// Turns <c>--registry_url</c> into an Npgsql connection string. Accepted forms: a keyword connection string
/// (<c>Host=db1,db2;Database=mesos;Username=mesos;Passfile=/etc/mesos/pgpass</c>), a URL
/// (<c>postgres://user:password@host:port/database?sslmode=require</c>), or, as Mesos does for credentials,
/// <c>file:///path</c> naming a file that holds either form, so the password stays out of the command line and
/// the environment.
/// </summary>
public static class RegistryUrl
{
    /// <exception cref="FormatException">The value (or the file it names) is not a usable connection string; the message says why.</exception>
    public static string ToConnectionString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        value = value.Trim();
        if (value.Length == 0)
        {
            throw new FormatException("is empty");
        }

        if (value.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            var path = Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.IsFile ? uri.LocalPath : value["file://".Length..];
            string contents;
            try
            {
                contents = File.ReadAllText(path).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new FormatException($"cannot read '{path}': {e.Message}", e);
            }

            if (contents.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException($"'{path}' names another file; it must hold the connection string itself");
            }

            try
            {
                return ToConnectionString(contents);
            }
            catch (FormatException e)
            {
                throw new FormatException($"'{path}' {e.Message}", e);
            }
        }

        var connectionString = value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            ? FromUrl(value)
            : value;
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            throw new FormatException($"is not a PostgreSQL connection string ({e.Message})", e);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new FormatException("names no host (Host=... or postgres://host/...)");
        }

        return builder.ConnectionString;
    }

    private static string FromUrl(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException("is not a valid postgres:// URL");
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var setting = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
            try
            {
                builder[key] = setting;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"has an unknown or invalid parameter '{key}' ({e.Message})"), e);
            }
        }

        return builder.ConnectionString;
    }
}
