using System.Collections.Immutable;
using Mesos.Core.Ids;
using Mesos.Projections.Engine;
using Mesos.Projections.Views;

namespace Mesos.Projections.Frameworks;

/// <summary>Frameworks, active, disconnected and removed, with their roles, resources and task counts.</summary>
public sealed class FrameworksProjection : IProjection
{
    private ImmutableSortedDictionary<FrameworkId, FrameworkView> frameworks = ImmutableSortedDictionary<FrameworkId, FrameworkView>.Empty;
    private ImmutableDictionary<FrameworkId, int> activeTasks = ImmutableDictionary<FrameworkId, int>.Empty;
    private long position;

    public string Name => "frameworks";

    public int Version => 1;

    public long Position => Volatile.Read(ref position);

    public ImmutableSortedDictionary<FrameworkId, FrameworkView> Frameworks => Volatile.Read(ref frameworks);

    public void Apply(ProjectionContext context)
    {
        var counted = new HashSet<FrameworkId>();
        foreach (var key in context.Scope.Tasks)
        {
            var was = context.Before.Tasks.ContainsKey(key) ? 1 : 0;
            var now = context.After.Tasks.ContainsKey(key) ? 1 : 0;
            if (was != now)
            {
                activeTasks = activeTasks.SetItem(key.FrameworkId, activeTasks.GetValueOrDefault(key.FrameworkId) + now - was);
                counted.Add(key.FrameworkId);
            }
        }

        var next = frameworks;
        foreach (var id in context.Scope.Frameworks)
        {
            var (framework, _) = StateLookup.FindFramework(context.After, id);
            context.Before.Frameworks.TryGetValue(id, out var was);
            if (framework is not null && !(ReferenceEquals(was, framework) && !counted.Contains(id) && next.ContainsKey(id)))
            {
                next = next.SetItem(id, FrameworkView.From(framework, activeTasks.GetValueOrDefault(id)));
            }
        }

        Volatile.Write(ref frameworks, next);
        Volatile.Write(ref position, context.Position);
    }

    public void Reset()
    {
        Volatile.Write(ref frameworks, ImmutableSortedDictionary<FrameworkId, FrameworkView>.Empty);
        activeTasks = ImmutableDictionary<FrameworkId, int>.Empty;
        Volatile.Write(ref position, 0);
    }
}
