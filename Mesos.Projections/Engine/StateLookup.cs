using System.Collections.Immutable;
using Mesos.Core.Ids;
using Mesos.Core.State;

namespace Mesos.Projections.Engine;

/// <summary>Finds tasks and frameworks wherever the fold keeps them: active, or among the completed ones.</summary>
public static class StateLookup
{
    public static (TaskRecord? Task, bool Active) FindTask(ClusterState state, TaskKey key)
    {
        if (state.Tasks.TryGetValue(key, out var task))
        {
            return (task, true);
        }

        if (state.Frameworks.TryGetValue(key.FrameworkId, out var framework))
        {
            return (LastWith(framework.CompletedTasks, key), false);
        }

        for (var i = state.CompletedFrameworks.Count - 1; i >= 0; i--)
        {
            if (state.CompletedFrameworks[i].Id == key.FrameworkId)
            {
                return (LastWith(state.CompletedFrameworks[i].CompletedTasks, key), false);
            }
        }

        return (null, false);
    }

    public static (FrameworkState? Framework, bool Active) FindFramework(ClusterState state, FrameworkId id)
    {
        if (state.Frameworks.TryGetValue(id, out var framework))
        {
            return (framework, true);
        }

        for (var i = state.CompletedFrameworks.Count - 1; i >= 0; i--)
        {
            if (state.CompletedFrameworks[i].Id == id)
            {
                return (state.CompletedFrameworks[i], false);
            }
        }

        return (null, false);
    }

    // A task that just completed is the last one: search from the end (the list's reverse walk, not its indexer,
    // which costs a tree descent per element).
    private static TaskRecord? LastWith(ImmutableList<TaskRecord> tasks, TaskKey key) => tasks.FindLast(t => t.Key == key);
}
