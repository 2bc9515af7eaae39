using System.Globalization;
using System.Text;
using System.Text.Json;
using Mesos.Core.Events;
using Mesos.EventLog.Marten;
using Mesos.EventLog.Port;
using Mesos.EventLog.Serialization;
using Mesos.EventLog.Sqlite;
using Mesos.Hosting.Flags;
using Mesos.Master.Registry;

namespace Mesos.Cli.Commands;

/// <summary>
/// <c>mesos log export --to FILE</c> and <c>mesos log import --from FILE</c>: a registry's whole history as JSON
/// lines (one event a line, with its position, catalogue name and version, and the payload as stored), so an
/// operator can move from the embedded SQLite log to PostgreSQL, or back, and keep every event.
/// </summary>
internal sealed class LogCommand : ICliCommand
{
    private const int ImportBatch = 1000;

    private const string Usage =
        "Usage: mesos log export --to FILE [--log PATH | --registry_url URL]\n" +
        "       mesos log import --from FILE [--log PATH | --registry_url URL]\n\n" +
        "Exports a registry as JSON lines (one event a line, with positions), or imports such a file into an empty registry.\n" +
        "The registry is the SQLite file at --log, or PostgreSQL at --registry_url (also MESOS_REGISTRY_URL).";

    private static readonly IReadOnlyList<FlagDefinition> Definitions =
    [
        FlagDefinition.String("to", null, "export: the file to write (must not exist)"),
        FlagDefinition.String("from", null, "import: the file to read"),
        FlagDefinition.String("log", Path.Combine(".mesos", "local", "master", "registry.db"), "The SQLite registry (registry.db under a master's --work_dir)"),
        FlagDefinition.String("registry_url", null, "A PostgreSQL registry: connection string, postgres:// URL, or file:///path holding one"),
    ];

    public string Name => "log";

    public string Summary => "Export a registry's events as JSON lines, or import them into an empty registry";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken)
    {
        if (CommandLine.WantsHelp(args))
        {
            await console.Out.WriteAsync(FlagParser.Help(Usage, Definitions)).ConfigureAwait(false);
            return 0;
        }

        var (flags, words) = CommandLine.Parse(Definitions, args, console.Environment);
        if (words.Count != 1 || words[0] is not ("export" or "import"))
        {
            throw new FlagError("mesos log needs 'export --to FILE' or 'import --from FILE'");
        }

        var registry = Registry(flags);
        return words[0] == "export"
            ? await ExportAsync(registry, flags.String("to") ?? throw new FlagError("mesos log export needs --to FILE"), console, cancellationToken).ConfigureAwait(false)
            : await ImportAsync(registry, flags.String("from") ?? throw new FlagError("mesos log import needs --from FILE"), console, cancellationToken).ConfigureAwait(false);
    }

    private static RegistryOptions Registry(FlagValues flags)
    {
        if (flags.String("registry_url") is { } url)
        {
            try
            {
                return RegistryOptions.Postgres(RegistryUrl.ToConnectionString(url));
            }
            catch (FormatException e)
            {
                throw new FlagError($"Flag '--registry_url': {e.Message}");
            }
        }

        return RegistryOptions.Sqlite(flags.String("log")!);
    }

    private static async Task<IEventLog> OpenAsync(RegistryOptions registry, CancellationToken ct)
    {
        try
        {
            return await RegistryFactory.OpenAsync(registry, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RegistryException or EventLogFileException)
        {
            throw new CliError(e.Message);
        }
    }

    private static async Task<int> ExportAsync(RegistryOptions registry, string to, CliConsole console, CancellationToken ct)
    {
        if (registry.Kind == RegistryKind.Sqlite && !File.Exists(registry.SqlitePath))
        {
            throw new CliError($"No event log at {registry.SqlitePath}");
        }

        var target = Path.GetFullPath(to);
        long count = 0;
        await using var log = await OpenAsync(registry, ct).ConfigureAwait(false);

        // CreateNew: an export never overwrites a file, least of all an earlier export.
        var stream = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            await using (writer.ConfigureAwait(false))
            {
                await foreach (var recorded in log.ReadAsync(0, ct).ConfigureAwait(false))
                {
                    WriteLine(writer, recorded);
                    await writer.FlushAsync(ct).ConfigureAwait(false);
                    stream.WriteByte((byte)'\n');
                    writer.Reset();
                    count++;
                }
            }
        }

        await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"exported {count} events from {registry.Describe()} to {target}")).ConfigureAwait(false);
        return 0;
    }

    private static void WriteLine(Utf8JsonWriter writer, RecordedEvent recorded)
    {
        var encoded = EventCodec.Encode(recorded.Event);
        writer.WriteStartObject();
        writer.WriteNumber("position", recorded.Position);
        writer.WriteString("type", recorded.TypeName);
        writer.WriteNumber("version", recorded.Version);
        writer.WriteString("at", recorded.At);
        writer.WriteString("principal", recorded.Event.Principal);
        writer.WritePropertyName("payload");
        writer.WriteRawValue(encoded.Payload, skipInputValidation: true);
        writer.WriteEndObject();
    }

    private static async Task<int> ImportAsync(RegistryOptions registry, string from, CliConsole console, CancellationToken ct)
    {
        var path = Path.GetFullPath(from);
        if (!File.Exists(path))
        {
            throw new CliError($"No export file at {path}");
        }

        // Everything is checked before anything is written: a half-imported registry is not empty, so a failed
        // import could not simply be run again.
        var total = 0L;
        await foreach (var _ in ReadExportAsync(path, ct).ConfigureAwait(false))
        {
            total++;
        }

        await using var log = await OpenAsync(registry, ct).ConfigureAwait(false);
        var head = await log.GetHeadAsync(ct).ConfigureAwait(false);
        if (head != 0)
        {
            throw new CliError(string.Create(CultureInfo.InvariantCulture, $"{registry.Describe()} already holds {head} events; import needs an empty registry"));
        }

        var batch = new List<ClusterEvent>(ImportBatch);
        await foreach (var @event in ReadExportAsync(path, ct).ConfigureAwait(false))
        {
            batch.Add(@event);
            if (batch.Count == ImportBatch)
            {
                head = await AppendAsync(log, batch, head, registry, ct).ConfigureAwait(false);
            }
        }

        if (batch.Count > 0)
        {
            head = await AppendAsync(log, batch, head, registry, ct).ConfigureAwait(false);
        }

        await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"imported {total} events from {path} into {registry.Describe()} (head {head})")).ConfigureAwait(false);
        return 0;
    }

    private static async Task<long> AppendAsync(IEventLog log, List<ClusterEvent> batch, long head, RegistryOptions registry, CancellationToken ct)
    {
        var result = await log.AppendAsync(batch, head, ct).ConfigureAwait(false);
        batch.Clear();
        return result switch
        {
            AppendResult.Appended appended => appended.LastPosition,
            AppendResult.Conflict conflict => throw new CliError(string.Create(CultureInfo.InvariantCulture,
                $"{registry.Describe()} was written by someone else during the import (head {conflict.Actual}, expected {conflict.Expected}); stop the masters using it")),
            _ => throw new InvalidOperationException("unknown append result"),
        };
    }

    /// <summary>The events of an export file, checked: consecutive positions from 1, known types, payloads that decode.</summary>
    private static async IAsyncEnumerable<ClusterEvent> ReadExportAsync(string path, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var lineNumber = 0;
        var expected = 1L;
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            ClusterEvent @event;
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                var position = root.GetProperty("position").GetInt64();
                if (position != expected)
                {
                    throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"position {position} where {expected} was expected (positions are consecutive from 1)"));
                }

                var type = root.GetProperty("type").GetString() ?? throw new FormatException("'type' is null");
                var version = root.GetProperty("version").GetInt32();
                var payload = root.GetProperty("payload");
                if (payload.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException("'payload' is not an object");
                }

                @event = EventCodec.Decode(position, type, version, Encoding.UTF8.GetBytes(payload.GetRawText()));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or EventDecodeException)
            {
                var reason = e is KeyNotFoundException ? "a field is missing (position, type, version and payload are required)" : e.Message;
                throw new CliError(string.Create(CultureInfo.InvariantCulture, $"{path} line {lineNumber}: {reason}"));
            }

            expected++;
            yield return @event;
        }
    }
}
