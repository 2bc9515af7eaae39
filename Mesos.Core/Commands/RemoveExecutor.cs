using Mesos.Core.Ids;

namespace Mesos.Core.Commands;

/// <summary>An agent reports that a custom executor exited (Mesos' ExitedExecutorMessage).</summary>
public sealed record RemoveExecutor(FrameworkId FrameworkId, AgentId AgentId, ExecutorId ExecutorId, int? ExitStatus) : MasterCommand;
