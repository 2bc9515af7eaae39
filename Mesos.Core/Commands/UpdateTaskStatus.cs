using Mesos.Core.Ids;
using Mesos.Core.Tasks;

namespace Mesos.Core.Commands;

/// <summary>A status update from an agent (or its executor), carrying the uuid the framework will acknowledge.</summary>
public sealed record UpdateTaskStatus(AgentId AgentId, FrameworkId FrameworkId, TaskId TaskId, TaskStatus Status) : MasterCommand;
