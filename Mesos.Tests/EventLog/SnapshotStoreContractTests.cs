using Mesos.Core.Events;
using Mesos.Core.State;
using Mesos.EventLog.Port;
using Mesos.EventLog.Snapshots;
using Mesos.Tests.Core.State;

namespace Mesos.Tests.EventLog;

/// <summary>
/// What every adapter that keeps snapshots beside its log must do, and how recovery uses them: the newest snapshot
/// that verifies plus the tail is the state of the whole log; one that does not verify is reported (position,
/// reason) and recovery falls back to an older one or to the whole log.
/// </summary>
public abstract class SnapshotStoreContractTests
{
    private static readonly DateTimeOffset TakenAt = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);

    private static readonly IReadOnlyList<ClusterEvent> History =
        ClusterSimulation.Run(Enumerable.Range(0, 60).Select(i => new SimulationStep((i * 37) % 100, i * 131, i * 17, i % 5))).Log;

    private readonly CancellationTokenSource timeout = new(TimeSpan.FromSeconds(90));

    protected CancellationToken Timeout => timeout.Token;

    /// <summary>Opens the log called <paramref name="name"/> (new and empty on first use) in storage private to the test.</summary>
    protected abstract Task<IEventLog> OpenAsync(string name);

    [Fact]
    public async Task NewLog_HasNoSnapshots()
    {
        await using var log = await OpenAsync("empty");
        Assert.Empty(await Store(log).ListSnapshotsAsync(Timeout));
        Assert.Null(await Store(log).ReadSnapshotAsync(1, Timeout));
    }

    [Fact]
    public async Task Save_ThenRead_GivesTheSameSnapshotBack_NewestFirst()
    {
        await using var log = await FilledAsync("roundtrip");
        var first = At(10);
        var second = At(20);
        await Store(log).SaveSnapshotAsync(first, keep: 5, Timeout);
        await Store(log).SaveSnapshotAsync(second, keep: 5, Timeout);

        var listed = await Store(log).ListSnapshotsAsync(Timeout);
        Assert.Equal([20L, 10L], listed.Select(s => s.Position));
        Assert.Equal(second.Info, listed[0]);

        var read = await Store(log).ReadSnapshotAsync(10, Timeout);
        Assert.NotNull(read);
        Assert.Equal(first.Info, read.Info);
        Assert.Equal(first.Payload, read.Payload);
    }

    [Fact]
    public async Task Save_KeepsOnlyTheNewest()
    {
        await using var log = await FilledAsync("keep");
        foreach (var position in new[] { 5L, 15L, 10L, 25L })
        {
            await Store(log).SaveSnapshotAsync(At(position), keep: 2, Timeout);
        }

        Assert.Equal([25L, 15L], (await Store(log).ListSnapshotsAsync(Timeout)).Select(s => s.Position));
    }

    [Fact]
    public async Task Snapshots_SurviveReopening()
    {
        await using (var log = await FilledAsync("reopen"))
        {
            await Store(log).SaveSnapshotAsync(At(30), keep: 2, Timeout);
        }

        await using var again = await OpenAsync("reopen");
        Assert.Equal(At(30).Info, Assert.Single(await Store(again).ListSnapshotsAsync(Timeout)));
    }

    [Fact]
    public async Task Recover_FromSnapshotPlusTail_EqualsFullReplay()
    {
        await using var log = await FilledAsync("recover");
        var position = History.Count / 2;
        await Store(log).SaveSnapshotAsync(At(position), keep: 2, Timeout);

        var full = await SnapshotRecovery.RecoverAsync(log, long.MaxValue, useSnapshots: false, Timeout);
        var recovered = await SnapshotRecovery.RecoverAsync(log, long.MaxValue, useSnapshots: true, Timeout);

        Assert.Equal(0, full.SnapshotPosition);
        Assert.Equal(History.Count, full.EventsFolded);
        Assert.Equal(position, recovered.SnapshotPosition);
        Assert.Equal(History.Count - position, recovered.EventsFolded);
        Assert.Equal(full.Position, recovered.Position);
        Assert.Empty(recovered.Rejections);
        Assert.Equal(StateHash.Compute(full.State), StateHash.Compute(recovered.State));
    }

    [Fact]
    public async Task Recover_UpToAPosition_UsesOnlySnapshotsAtOrBeforeIt()
    {
        await using var log = await FilledAsync("asof");
        await Store(log).SaveSnapshotAsync(At(10), keep: 3, Timeout);
        await Store(log).SaveSnapshotAsync(At(40), keep: 3, Timeout);

        var recovered = await SnapshotRecovery.RecoverAsync(log, 25, useSnapshots: true, Timeout);

        Assert.Equal(10, recovered.SnapshotPosition);
        Assert.Equal(25, recovered.Position);
        Assert.Empty(recovered.Rejections);
        Assert.Equal(StateHash.Compute(Fold(25)), StateHash.Compute(recovered.State));
    }

    [Fact]
    public async Task Recover_DamagedNewestSnapshot_IsReportedAndTheOlderOneUsed()
    {
        await using var log = await FilledAsync("damaged");
        await Store(log).SaveSnapshotAsync(At(10), keep: 3, Timeout);
        var newest = At(40);
        var damaged = (byte[])newest.Payload.Clone();
        damaged[damaged.Length / 3] ^= 0xFF;
        await Store(log).SaveSnapshotAsync(newest with { Payload = damaged }, keep: 3, Timeout);

        var recovered = await SnapshotRecovery.RecoverAsync(log, long.MaxValue, useSnapshots: true, Timeout);

        Assert.Equal(10, recovered.SnapshotPosition);
        var rejected = Assert.Single(recovered.Rejections);
        Assert.Equal(40, rejected.Position);
        Assert.StartsWith("cannot be read", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal(StateHash.Compute(Fold(History.Count)), StateHash.Compute(recovered.State));
    }

    [Fact]
    public async Task Recover_SnapshotWithAWrongHash_FallsBackToTheWholeLog()
    {
        await using var log = await FilledAsync("wronghash");

        // A snapshot whose bytes are intact but whose state is not what the log says at its position.
        var wrong = SnapshotCodec.Encode(Fold(12), 30, TakenAt);
        await Store(log).SaveSnapshotAsync(wrong with { StateHash = StateHash.Compute(Fold(30)) }, keep: 3, Timeout);

        var recovered = await SnapshotRecovery.RecoverAsync(log, long.MaxValue, useSnapshots: true, Timeout);

        Assert.Equal(0, recovered.SnapshotPosition);
        Assert.Equal(History.Count, recovered.EventsFolded);
        Assert.Contains("not to its recorded hash", Assert.Single(recovered.Rejections).Reason, StringComparison.Ordinal);
        Assert.Equal(StateHash.Compute(Fold(History.Count)), StateHash.Compute(recovered.State));
    }

    [Fact]
    public async Task Recover_SnapshotOfAnotherFormat_IsIgnoredNotMisread()
    {
        await using var log = await FilledAsync("format");
        await Store(log).SaveSnapshotAsync(At(20) with { Format = SnapshotCodec.Format + 1, Payload = [0x7B, 0x7D] }, keep: 3, Timeout);

        var recovered = await SnapshotRecovery.RecoverAsync(log, long.MaxValue, useSnapshots: true, Timeout);

        Assert.Equal(0, recovered.SnapshotPosition);
        var rejected = Assert.Single(recovered.Rejections);
        Assert.Equal(20, rejected.Position);
        Assert.Contains($"format {SnapshotCodec.Format + 1}", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal(StateHash.Compute(Fold(History.Count)), StateHash.Compute(recovered.State));
    }

    [Fact]
    public async Task Recover_SnapshotBeyondTheHead_IsIgnored()
    {
        await using var log = await FilledAsync("beyond");
        await Store(log).SaveSnapshotAsync(SnapshotCodec.Encode(Fold(History.Count), History.Count + 100, TakenAt), keep: 3, Timeout);

        var recovered = await SnapshotRecovery.RecoverAsync(log, long.MaxValue, useSnapshots: true, Timeout);

        Assert.Equal(0, recovered.SnapshotPosition);
        Assert.Contains("beyond the log's head", Assert.Single(recovered.Rejections).Reason, StringComparison.Ordinal);
        Assert.Equal(History.Count, recovered.Position);
    }

    private static ISnapshotStore Store(IEventLog log) =>
        log as ISnapshotStore ?? throw new InvalidOperationException($"{log.GetType().Name} keeps no snapshots");

    private static ClusterState Fold(int upTo) => ClusterFold.ApplyAll(ClusterState.Empty, History.Take(upTo));

    private static StoredSnapshot At(long position) => SnapshotCodec.Encode(Fold((int)position), position, TakenAt.AddSeconds(position));

    private async Task<IEventLog> FilledAsync(string name)
    {
        var log = await OpenAsync(name);
        foreach (var batch in History.Chunk(16))
        {
            await log.AppendAsync(batch, expectedPosition: null, Timeout);
        }

        return log;
    }
}
