using Grpc.Core;
using Mesos.Agent.StatusUpdates;
using Mesos.Protocol.V1;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Agent.Registration;

/// <summary>Sends status updates to the master the agent is registered with; the reply means the update is durable there.</summary>
public sealed class GrpcStatusUpdateSender(MasterLink link, Func<string?> agentId) : IStatusUpdateSender
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public async Task<SendOutcome> SendAsync(TaskStatus status, CancellationToken cancellationToken)
    {
        if (link.Client is not { } client || agentId() is not { } id)
        {
            return SendOutcome.Unavailable;
        }

        try
        {
            await client.SendStatusUpdateAsync(
                new StatusUpdateRequest { AgentId = id, FrameworkId = status.FrameworkId, Status = status },
                deadline: DateTime.UtcNow + Timeout,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return SendOutcome.Accepted;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.FailedPrecondition or StatusCode.InvalidArgument)
        {
            return SendOutcome.Rejected;
        }
        catch (RpcException) when (!cancellationToken.IsCancellationRequested)
        {
            return SendOutcome.Unavailable;
        }
    }
}
