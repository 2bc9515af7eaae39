using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Mesos.Core.State;
using Mesos.EventLog.Port;
using Mesos.EventLog.Serialization;

namespace Mesos.EventLog.Snapshots;

/// <summary>
/// The stored form of a snapshot: gzip (whose CRC catches damaged bytes) of UTF-8 JSON holding the format, the
/// position and the whole <see cref="ClusterState"/>, written with the event payloads' converters (ids, resources,
/// attributes as their canonical text) plus sorted maps as pairs. Every property of the state's records is
/// written, computed ones (no setter) are not, and a missing one fails the decode, so that a state record that
/// grows a field cannot be restored without it.
/// <para>
/// <see cref="Format"/> is bumped whenever the state's shape changes: recovery ignores snapshots of another
/// format (they are rewritten by the next interval) rather than guess at them.
/// </para>
/// </summary>
public static class SnapshotCodec
{
    /// <summary>The payload format this build writes and reads.</summary>
    public const int Format = 1;

    private static readonly JsonTypeInfo<SnapshotDocument> Document = CreateOptions().GetTypeInfo(typeof(SnapshotDocument)) is JsonTypeInfo<SnapshotDocument> info
        ? info
        : throw new InvalidOperationException("no metadata for SnapshotDocument");

    /// <summary>Serializes <paramref name="state"/>, the fold of the log up to <paramref name="position"/>, with its content hash.</summary>
    public static StoredSnapshot Encode(ClusterState state, long position, DateTimeOffset takenAt)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        var hash = StateHash.Compute(state);
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, new SnapshotDocument(Format, position, state), Document);
        }

        return new StoredSnapshot(position, Format, hash, takenAt, buffer.ToArray());
    }

    /// <summary>
    /// The state <paramref name="snapshot"/> holds, checked against what the store says of it: its format, its
    /// position and its content hash.
    /// </summary>
    /// <exception cref="SnapshotException">The snapshot is of another format, unreadable, or does not hash to its recorded hash.</exception>
    public static ClusterState Decode(StoredSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Format != Format)
        {
            throw new SnapshotException(snapshot.Position, $"is in format {snapshot.Format}; this build reads format {Format} only");
        }

        SnapshotDocument? document;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(snapshot.Payload, writable: false), CompressionMode.Decompress);
            document = JsonSerializer.Deserialize(gzip, Document);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException or FormatException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new SnapshotException(snapshot.Position, $"cannot be read: {e.Message}", e);
        }

        if (document is null)
        {
            throw new SnapshotException(snapshot.Position, "cannot be read: the payload is null");
        }

        if (document.Format != snapshot.Format || document.Position != snapshot.Position)
        {
            throw new SnapshotException(snapshot.Position, $"holds format {document.Format} at position {document.Position}, not what it is stored as");
        }

        var hash = StateHash.Compute(document.State);
        if (!string.Equals(hash, snapshot.StateHash, StringComparison.Ordinal))
        {
            throw new SnapshotException(snapshot.Position, $"hashes to {hash}, not to its recorded hash {snapshot.StateHash}");
        }

        return document.State;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(EventCodec.Options)
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { WriteOnlyStoredProperties } },
        };
        options.Converters.Insert(0, new SortedCollectionConverterFactory());
        options.MakeReadOnly(populateMissingResolver: false);
        return options;
    }

    /// <summary>Drops computed properties (<c>AgentState.Available</c>, <c>FrameworkState.Used</c>...): the fold's data is what has a setter.</summary>
    private static void WriteOnlyStoredProperties(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (info.Properties[i].Set is null && info.Properties[i].AssociatedParameter is null)
            {
                info.Properties.RemoveAt(i);
            }
        }
    }

    private sealed record SnapshotDocument(int Format, long Position, ClusterState State);
}
