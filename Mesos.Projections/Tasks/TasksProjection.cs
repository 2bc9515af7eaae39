using System.Collections.Immutable;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Projections.Engine;
using Mesos.Projections.Views;

namespace Mesos.Projections.Tasks;

/// <summary>
/// Every task the log has launched, active and completed, with every status in order and the offer that carried
/// it. Unlike the master's state, which keeps the last 1000 completed tasks per framework, this keeps them all.
/// </summary>
public sealed class TasksProjection : IProjection
{
    private ImmutableSortedDictionary<TaskKey, TaskView> tasks = ImmutableSortedDictionary<TaskKey, TaskView>.Empty;
    private long position;

    public string Name => "tasks";

    public int Version => 1;

    public long Position => Volatile.Read(ref position);

    public ImmutableSortedDictionary<TaskKey, TaskView> Tasks => Volatile.Read(ref tasks);

    public void Apply(ProjectionContext context)
    {
        var next = tasks;
        foreach (var key in context.Scope.Tasks)
        {
            next.TryGetValue(key, out var previous);
            var (record, active) = StateLookup.FindTask(context.After, key);
            if (record is null)
            {
                // Out of the fold's bounded history: this view is all that is left of it.
                if (previous is not null && previous.Active)
                {
                    next = next.SetItem(key, previous with { Active = false });
                }

                continue;
            }

            var (offerId, launchedAt) = context.Event switch
            {
                TaskLaunched launched when launched.Task.TaskId == key.TaskId => (launched.OfferId.Value, context.Position),
                TaskLaunchedOnExecutor launched when launched.Task.TaskId == key.TaskId => (launched.OfferId.Value, context.Position),
                TaskGroupLaunched group when group.Tasks.Any(t => t.TaskId == key.TaskId) => (group.OfferId.Value, context.Position),
                _ => (previous?.OfferId, previous?.LaunchedPosition),
            };
            next = next.SetItem(key, TaskView.From(record, active, offerId, launchedAt));
        }

        Volatile.Write(ref tasks, next);
        Volatile.Write(ref position, context.Position);
    }

    public void Reset()
    {
        Volatile.Write(ref tasks, ImmutableSortedDictionary<TaskKey, TaskView>.Empty);
        Volatile.Write(ref position, 0);
    }
}
