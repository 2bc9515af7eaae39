using Mesos.Core.Ids;

namespace Mesos.Core.Commands;

/// <summary>KILL a task.</summary>
public sealed record KillTask(FrameworkId FrameworkId, TaskId TaskId, TimeSpan? GracePeriod) : MasterCommand;
