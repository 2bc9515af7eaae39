using Mesos.EventLog.Port;
using Mesos.Master.Metrics;
using Mesos.Projections.Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Mesos.Master.ReadModels;

/// <summary>Registers the read side: the read models and their feeder, time travel, and the append timings for <c>/metrics</c>.</summary>
public static class ReadModelHosting
{
    /// <summary>
    /// Call after the event log is registered: it wraps it to time appends. (Allocation cycle times come from the
    /// allocator's own recorder, <c>allocator/mesos/allocation_run_ms</c>.)
    /// </summary>
    /// <param name="services">The master's services.</param>
    /// <param name="documents">With the PostgreSQL registry, where the agents and tasks read models are also kept as Marten documents.</param>
    public static IServiceCollection AddReadModels(this IServiceCollection services, MasterDocuments? documents = null)
    {
        services.AddSingleton<MasterTimings>();
        if (documents is null)
        {
            services.AddSingleton(_ => new Projections.ReadModels());
        }
        else
        {
            services.AddSingleton(_ => new Projections.ReadModels(dependents: m => [new DocumentsProjection(m.Agents, m.Tasks, documents.Checkpoint, documents.Rebuild)]));

            // Registered through a factory so that the container disposes it with the host.
            services.AddSingleton(_ => documents);
            services.AddHostedService<DocumentsWriterService>();
        }

        services.AddSingleton<ProjectionFeeder>();
        services.AddHostedService(sp => sp.GetRequiredService<ProjectionFeeder>());
        services.AddSingleton<IMetricsSource, ReadModelMetrics>();
        services.AddSingleton<ClusterAsOf>();
        Decorate<IEventLog>(services, (sp, inner) => new TimedEventLog(inner, sp.GetRequiredService<MasterTimings>().Appends));
        return services;
    }

    private static void Decorate<T>(IServiceCollection services, Func<IServiceProvider, T, T> wrap)
        where T : class
    {
        var descriptor = services.Last(d => d.ServiceType == typeof(T));
        services.Remove(descriptor);
        services.AddSingleton(sp =>
        {
            var inner = descriptor switch
            {
                { ImplementationInstance: T instance } => instance,
                { ImplementationFactory: { } factory } => (T)factory(sp),
                { ImplementationType: { } type } => (T)ActivatorUtilities.CreateInstance(sp, type),
                _ => throw new InvalidOperationException($"cannot decorate the registration of {typeof(T).Name}"),
            };
            return wrap(sp, inner);
        });
    }
}
