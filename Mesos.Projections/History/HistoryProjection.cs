using Mesos.Projections.Engine;
using Mesos.Projections.Views;

namespace Mesos.Projections.History;

/// <summary>
/// The history index: every event as a timeline entry, and for each agent, framework, task and event type the
/// positions of the events that touched it. Positions are consecutive from 1, so entry P is at index P - 1.
/// </summary>
public sealed class HistoryProjection : IProjection
{
    private readonly object gate = new();
    private readonly List<HistoryEntry> entries = [];
    private readonly Dictionary<string, List<long>> index = new(StringComparer.Ordinal);
    private long position;

    public string Name => "history";

    public int Version => 1;

    public long Position => Volatile.Read(ref position);

    public void Apply(ProjectionContext context)
    {
        var scope = context.Scope;
        var entry = new HistoryEntry(
            context.Position,
            context.Event.At,
            context.TypeName,
            context.Event.Principal,
            Ids(scope.Agents.Select(a => a.Value)),
            Ids(scope.Frameworks.Select(f => f.Value)),
            Ids(scope.Tasks.Select(t => t.ToString())),
            context.Event);
        lock (gate)
        {
            entries.Add(entry);
            Index("type:" + entry.Type, context.Position);
            foreach (var agent in entry.Agents)
            {
                Index("agent:" + agent, context.Position);
            }

            foreach (var framework in entry.Frameworks)
            {
                Index("framework:" + framework, context.Position);
            }

            foreach (var task in scope.Tasks)
            {
                Index("task:" + task, context.Position);
                if (task.TaskId.Value != task.ToString())
                {
                    Index("task:" + task.TaskId.Value, context.Position);
                }
            }

            foreach (var offer in scope.Offers)
            {
                Index("offer:" + offer.Value, context.Position);
            }

            Volatile.Write(ref position, context.Position);
        }
    }

    public void Reset()
    {
        lock (gate)
        {
            entries.Clear();
            index.Clear();
            Volatile.Write(ref position, 0);
        }
    }

    public HistoryEntry? At(long at)
    {
        lock (gate)
        {
            return at >= 1 && at <= entries.Count ? entries[(int)(at - 1)] : null;
        }
    }

    /// <summary>Positions of the events that touched <paramref name="key"/> (<c>agent:ID</c>, <c>task:FW/ID</c>, <c>offer:ID</c>, <c>type:Name</c>...).</summary>
    public IReadOnlyList<long> PositionsOf(string key)
    {
        lock (gate)
        {
            return index.TryGetValue(key, out var positions) ? [.. positions] : [];
        }
    }

    public IReadOnlyList<HistoryEntry> Query(HistoryQuery query)
    {
        var key = query switch
        {
            { Agent: { Length: > 0 } a } => "agent:" + a,
            { Framework: { Length: > 0 } f } => "framework:" + f,
            { Task: { Length: > 0 } t } => "task:" + t,
            { Type: { Length: > 0 } y } => "type:" + y,
            _ => null,
        };
        var limit = Math.Clamp(query.Limit, 1, 1000);
        lock (gate)
        {
            var before = Math.Min(query.Before ?? long.MaxValue, entries.Count + 1L);
            var page = new List<HistoryEntry>(limit);
            if (key is null)
            {
                for (var p = before - 1; p >= 1 && page.Count < limit; p--)
                {
                    page.Add(entries[(int)(p - 1)]);
                }

                return page;
            }

            if (!index.TryGetValue(key, out var positions))
            {
                return page;
            }

            var i = positions.BinarySearch(before);
            for (i = i < 0 ? ~i - 1 : i - 1; i >= 0 && page.Count < limit; i--)
            {
                page.Add(entries[(int)(positions[i] - 1)]);
            }

            return page;
        }
    }

    /// <summary>The position of the last event at or before <paramref name="time"/> (0 if none): time travel by clock time.</summary>
    public long PositionAt(DateTimeOffset time)
    {
        lock (gate)
        {
            int lo = 0, hi = entries.Count - 1, found = -1;
            while (lo <= hi)
            {
                var mid = (lo + hi) / 2;
                if (entries[mid].At <= time)
                {
                    found = mid;
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            return found + 1;
        }
    }

    /// <summary>All entries, for comparing a rebuild with the live index.</summary>
    public IReadOnlyList<HistoryEntry> Entries()
    {
        lock (gate)
        {
            return [.. entries];
        }
    }

    private static string[] Ids(IEnumerable<string> ids)
    {
        var array = ids.ToArray();
        if (array.Length > 1)
        {
            Array.Sort(array, StringComparer.Ordinal);
        }

        return array;
    }

    private void Index(string key, long at)
    {
        if (!index.TryGetValue(key, out var positions))
        {
            index[key] = positions = [];
        }

        if (positions.Count == 0 || positions[^1] != at)
        {
            positions.Add(at);
        }
    }
}
