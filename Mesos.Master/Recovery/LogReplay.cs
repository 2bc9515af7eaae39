using System.Diagnostics;
using Mesos.Core.State;
using Mesos.EventLog.Port;

namespace Mesos.Master.Recovery;

/// <summary>Folds the whole log into a state: what a master does at start, and what an audit does on any machine.</summary>
public static class LogReplay
{
    public static async Task<ReplayResult> ReplayAsync(IEventLog log, long upToPosition, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        var state = ClusterState.Empty;
        long position = 0;
        long count = 0;
        await foreach (var recorded in log.ReadAsync(0, ct).ConfigureAwait(false))
        {
            if (recorded.Position > upToPosition)
            {
                break;
            }

            state = ClusterFold.Apply(state, recorded.Event);
            position = recorded.Position;
            count++;
        }

        return new ReplayResult(state, position, count, stopwatch.Elapsed);
    }
}
