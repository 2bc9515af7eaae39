using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Agent.StatusUpdates;

/// <summary>Delivers one status update to the master; the real one is a gRPC call, tests use a hand-written fake.</summary>
public interface IStatusUpdateSender
{
    Task<SendOutcome> SendAsync(TaskStatus status, CancellationToken cancellationToken);
}
