using System.Globalization;
using System.Text;

namespace Mesos.Master.Api.Http;

/// <summary>Mesos' RecordIO framing: the record's byte length in ASCII decimal, a newline, then the bytes.</summary>
public static class RecordIo
{
    /// <summary>Writes one record and flushes it, so a subscriber sees each event as soon as it is queued.</summary>
    public static async Task WriteAsync(Stream stream, byte[] record, CancellationToken ct)
    {
        var header = Encoding.ASCII.GetBytes(record.Length.ToString(CultureInfo.InvariantCulture) + "\n");
        await stream.WriteAsync(header, ct).ConfigureAwait(false);
        await stream.WriteAsync(record, ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
    }
}
