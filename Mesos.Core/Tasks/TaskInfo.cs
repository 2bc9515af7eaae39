using Mesos.Core.Ids;
using Mesos.Core.Resources;

namespace Mesos.Core.Tasks;

/// <summary>
/// What a framework asks to run: Mesos' TaskInfo. <see cref="Command"/> runs under the built-in command executor; a
/// task for a custom executor has none (<c>TaskLaunchedOnExecutor</c> carries its ExecutorInfo beside it).
/// </summary>
public sealed record TaskInfo(
    TaskId TaskId,
    string Name,
    AgentId AgentId,
    ResourceSet Resources,
    CommandInfo? Command,
    TimeSpan? KillGracePeriod);
