using System.IO.Compression;
using System.Text;
using CsCheck;
using Mesos.Core.State;
using Mesos.EventLog.Port;
using Mesos.EventLog.Snapshots;
using Mesos.Tests.Core.Scenarios;
using Mesos.Tests.Core.State;

namespace Mesos.Tests.EventLog;

/// <summary>
/// Snapshots of the folded state: a snapshot at any position of any log, restored and folded on with the rest
/// of the log, is the state of the whole log. A failure names the CsCheck seed ("Set seed: ..."); pass it as
/// <c>seed:</c> to <c>Sample</c>, or set <c>CsCheck_Seed</c>, to replay that run.
/// </summary>
public sealed class SnapshotCodecTests
{
    private static readonly DateTimeOffset TakenAt = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);

    private static readonly Gen<SimulationStep[]> Runs =
        Gen.Select(Gen.Int[0, 99], Gen.Int[0, 1 << 16], Gen.Int[0, 1 << 16], Gen.Int[0, 12], (kind, pick, detail, seconds) => new SimulationStep(kind, pick, detail, seconds))
            .Array[1, 80];

    [Fact]
    public void SnapshotAtRandomPositionPlusTail_EqualsFullReplay()
    {
        Gen.Select(Runs, Gen.Double[0, 1]).Sample(
            (steps, where) =>
            {
                var log = ClusterSimulation.Run(steps).Log;
                var position = (int)Math.Round(where * log.Count);
                var prefix = ClusterFold.ApplyAll(ClusterState.Empty, log.Take(position));
                var stored = SnapshotCodec.Encode(prefix, position, TakenAt);
                var restored = SnapshotCodec.Decode(stored);
                StateAssert.Equal(prefix, restored);

                var whole = ClusterFold.ApplyAll(ClusterState.Empty, log);
                var resumed = ClusterFold.ApplyAll(restored, log.Skip(position));
                StateAssert.Equal(whole, resumed);

                // Beyond the hash: every stored field (what the hash leaves out too) survives the round trip and the tail.
                Assert.Equal(Json(SnapshotCodec.Encode(whole, log.Count, TakenAt)), Json(SnapshotCodec.Encode(resumed, log.Count, TakenAt)));
            },
            iter: 100,
            print: t => $"{t.Item1.Length} steps, snapshot at {t.Item2:0.000} of the log");
    }

    [Fact]
    public void Decode_DamagedPayload_NamesThePositionAndReason()
    {
        var stored = Sample(position: 42);
        var damaged = (byte[])stored.Payload.Clone();
        damaged[damaged.Length / 2] ^= 0x5A;

        var error = Assert.Throws<SnapshotException>(() => SnapshotCodec.Decode(stored with { Payload = damaged }));
        Assert.Equal(42, error.Position);
        Assert.StartsWith("cannot be read", error.Reason, StringComparison.Ordinal);
        Assert.Contains("log position 42", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_TruncatedPayload_IsRefused()
    {
        var stored = Sample(position: 7);
        var error = Assert.Throws<SnapshotException>(() => SnapshotCodec.Decode(stored with { Payload = stored.Payload[..(stored.Payload.Length / 2)] }));
        Assert.StartsWith("cannot be read", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_StateThatDoesNotHashToTheRecordedHash_IsRefused()
    {
        var stored = Sample(position: 9);
        var error = Assert.Throws<SnapshotException>(() => SnapshotCodec.Decode(stored with { StateHash = new string('0', 64) }));
        Assert.Contains("not to its recorded hash", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_OtherFormat_IsRefusedWithoutReadingIt()
    {
        var stored = Sample(position: 3);
        var error = Assert.Throws<SnapshotException>(() => SnapshotCodec.Decode(stored with { Format = SnapshotCodec.Format + 1, Payload = [1, 2, 3] }));
        Assert.Contains($"this build reads format {SnapshotCodec.Format} only", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_PayloadStoredUnderAnotherPosition_IsRefused()
    {
        var stored = Sample(position: 5);
        var error = Assert.Throws<SnapshotException>(() => SnapshotCodec.Decode(stored with { Position = 6 }));
        Assert.Contains("at position 5, not what it is stored as", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_PayloadMissingAField_IsRefused()
    {
        var stored = Sample(position: 4);
        var json = Json(stored).Replace("\"masterEpoch\":", "\"masterEpochRenamed\":", StringComparison.Ordinal);
        var error = Assert.Throws<SnapshotException>(() => SnapshotCodec.Decode(stored with { Payload = Gzip(json) }));
        Assert.Contains("masterEpoch", error.Reason, StringComparison.Ordinal);
    }

    internal static StoredSnapshot Sample(long position)
    {
        var log = ClusterSimulation.Run(Enumerable.Range(0, 30).Select(i => new SimulationStep((i * 37) % 100, i * 131, i * 17, i % 5))).Log;
        return SnapshotCodec.Encode(ClusterFold.ApplyAll(ClusterState.Empty, log), position, TakenAt);
    }

    private static string Json(StoredSnapshot snapshot)
    {
        using var gzip = new GZipStream(new MemoryStream(snapshot.Payload), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static byte[] Gzip(string json)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(json));
        }

        return buffer.ToArray();
    }
}
