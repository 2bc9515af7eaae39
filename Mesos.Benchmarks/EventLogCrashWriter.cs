using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.EventLog.Port;
using Mesos.EventLog.Sqlite;

namespace Mesos.Benchmarks;

/// <summary>
/// The victim of the SQLite crash test (<c>SqliteEventLogTests</c>): appends tagged batches from several loops
/// until it is killed, and prints <c>committed &lt;batch&gt; &lt;first&gt; &lt;last&gt;</c> once each batch is durable.
/// Each event of batch b is a heartbeat of agent <c>b:i/size</c>, so a reader can tell whole batches from torn ones.
/// </summary>
public static class EventLogCrashWriter
{
    public const int Writers = 4;

    public static int BatchSize(long batch) => 1 + (int)(batch * 7919 % 300);

    public static string Tag(long batch, int index, int size) => $"{batch}:{index}/{size}";

    public static async Task RunAsync(string path, long firstBatch)
    {
        await using var log = await SqliteEventLog.OpenAsync(path, CancellationToken.None);
        var nextBatch = firstBatch;
        var output = Console.Out;
        var writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var batch = Interlocked.Increment(ref nextBatch) - 1;
                var size = BatchSize(batch);
                var events = new ClusterEvent[size];
                for (var i = 0; i < size; i++)
                {
                    events[i] = new AgentHeartbeatReceived(new AgentId(Tag(batch, i, size)))
                    {
                        At = DateTimeOffset.UnixEpoch.AddTicks(batch),
                        Principal = "crash-writer",
                    };
                }

                if (await log.AppendAsync(events, null, CancellationToken.None) is AppendResult.Appended appended)
                {
                    await output.WriteLineAsync($"committed {batch} {appended.FirstPosition} {appended.LastPosition}");
                }
            }
        }));
        await Task.WhenAll(writers);
    }
}
