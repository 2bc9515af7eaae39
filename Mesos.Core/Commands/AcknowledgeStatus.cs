using Mesos.Core.Ids;

namespace Mesos.Core.Commands;

/// <summary>ACKNOWLEDGE of a status update by the framework.</summary>
public sealed record AcknowledgeStatus(FrameworkId FrameworkId, AgentId AgentId, TaskId TaskId, Guid Uuid) : MasterCommand;
