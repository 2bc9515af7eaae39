using System.Text;
using System.Text.Json.Nodes;

namespace Mesos.Tests.Api.Http;

/// <summary>
/// RecordIO as Mesos documents it (docs/recordio.md): "&lt;length&gt;\n&lt;length bytes&gt;", chunk boundaries meaningless.
/// Written from the documentation for the tests, independent of the master's writer.
/// </summary>
public sealed class RecordIoReader(Stream stream)
{
    private readonly byte[] one = new byte[1];

    /// <summary>The next record as JSON, or null when the stream ended cleanly between records.</summary>
    public async Task<JsonObject?> NextAsync(CancellationToken ct) =>
        await NextBytesAsync(ct) is { } record ? JsonNode.Parse(record)!.AsObject() : null;

    /// <summary>The next record's bytes (a protobuf message on an x-protobuf stream), or null at a clean end.</summary>
    public async Task<byte[]?> NextBytesAsync(CancellationToken ct)
    {
        var length = new StringBuilder();
        while (true)
        {
            if (await stream.ReadAsync(one, ct) == 0)
            {
                return length.Length == 0 ? null : throw new EndOfStreamException("stream ended inside a record header");
            }

            if (one[0] == (byte)'\n')
            {
                break;
            }

            Assert.InRange(one[0], (byte)'0', (byte)'9');
            length.Append((char)one[0]);
        }

        var size = int.Parse(length.ToString(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(size > 0, "RecordIO records are never empty");
        var record = new byte[size];
        await stream.ReadExactlyAsync(record, ct);
        return record;
    }
}
