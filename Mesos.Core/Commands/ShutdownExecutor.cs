using Mesos.Core.Ids;

namespace Mesos.Core.Commands;

/// <summary>The scheduler's SHUTDOWN of one of its custom executors on an agent.</summary>
public sealed record ShutdownExecutor(FrameworkId FrameworkId, AgentId AgentId, ExecutorId ExecutorId) : MasterCommand;
