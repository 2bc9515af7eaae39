using Mesos.Core.Ids;
using Mesos.Core.Resources;

namespace Mesos.Core.Tasks;

/// <summary>
/// Mesos' ExecutorInfo for a custom executor: a command the agent runs once per (framework, executor id) and hands
/// the tasks launched on it through the v1 executor API. <see cref="Resources"/> are the executor's own, held
/// while it runs, beside those of its tasks.
/// </summary>
public sealed record ExecutorInfo(
    ExecutorId ExecutorId,
    string Name,
    CommandInfo Command,
    ResourceSet Resources,
    TimeSpan? ShutdownGracePeriod);
