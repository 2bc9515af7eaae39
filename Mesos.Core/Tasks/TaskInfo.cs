using Mesos.Core.Ids;
using Mesos.Core.Resources;

namespace Mesos.Core.Tasks;

/// <summary>What a framework asks to run: Mesos' TaskInfo with a command (the built-in command executor).</summary>
public sealed record TaskInfo(
    TaskId TaskId,
    string Name,
    AgentId AgentId,
    ResourceSet Resources,
    CommandInfo Command,
    TimeSpan? KillGracePeriod);
