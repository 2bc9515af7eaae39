using Mesos.Core.Collections;

namespace Mesos.Core.Tasks;

/// <summary>
/// What of a framework's TaskInfo only the agent acts on: the URIs to fetch, the health check and the labels. The
/// master does not fold them into its state; it carries them in the launch event (TaskLaunched v2) to the agent.
/// </summary>
public sealed record TaskLaunchDetails(ValueArray<CommandUri> Uris, HealthCheck? HealthCheck, ValueArray<TaskLabel> Labels)
{
    public static TaskLaunchDetails None { get; } = new([], null, []);
}
