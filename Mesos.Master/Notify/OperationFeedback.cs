using Mesos.Core.Agents;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.State;
using Mesos.Core.Tasks;
using Mesos.Master.Api.Grpc;
using Mesos.Protocol.V1;
using TaskState = Mesos.Core.Tasks.TaskState;
using TaskStatus = Mesos.Core.Tasks.TaskStatus;

namespace Mesos.Master.Notify;

/// <summary>
/// Offer operation feedback (UPDATE_OPERATION_STATUS) as Mesos 1.11 gives it to frameworks on agents without the
/// RESOURCE_PROVIDER capability, which is every agent of this master (it has no resource providers): an operation
/// that sets <c>id</c> is refused with OPERATION_ERROR and not applied, and the master tracks no operation, so
/// reconciliation answers from the agent's standing alone. The master's own operation updates carry no uuid and
/// are never acknowledged. Shared by the gRPC and HTTP edges.
/// </summary>
public static class OperationFeedback
{
    /// <summary>Mesos' reason for dropping an operation that asks for feedback on such an agent.</summary>
    public static string NoResourceProvider(AgentId agentId) =>
        $"Operation requested feedback, but agent {agentId} does not have the required RESOURCE_PROVIDER capability";

    /// <summary>Mesos' reason for a LAUNCH that sets <c>id</c>: its tasks get TASK_ERROR and are not launched.</summary>
    public const string NoLaunchFeedback = "Operation feedback is not supported for LAUNCH operations";

    /// <summary>
    /// The operations of an ACCEPT that ask for feedback this master cannot give, refused as Mesos refuses them
    /// (RESERVE / UNRESERVE: OPERATION_ERROR; LAUNCH: TASK_ERROR for each task), before the rest of the ACCEPT is
    /// applied. Returns the ACCEPT without them.
    /// </summary>
    public static AcceptRequest RefuseUnsupported(ClusterState state, FrameworkConnection connection, AcceptRequest accept, DateTimeOffset now)
    {
        if (accept.LaunchOperationIds.Count == 0 && accept.Reservations.All(r => r.Id.Length == 0) && accept.LaunchGroups.All(g => g.OperationId.Length == 0))
        {
            return accept;
        }

        var agentId = accept.OfferIds.Select(id => state.Offers.GetValueOrDefault(new OfferId(id))).FirstOrDefault(o => o is not null)?.AgentId
            ?? new AgentId(accept.Launch.FirstOrDefault()?.AgentId ?? string.Empty);
        var kept = accept.Clone();
        kept.Reservations.Clear();
        kept.Launch.Clear();
        kept.LaunchOperationIds.Clear();
        kept.LaunchGroups.Clear();
        kept.LaunchGroups.AddRange(accept.LaunchGroups.Where(g => g.OperationId.Length == 0));
        foreach (var reservation in accept.Reservations)
        {
            if (reservation.Id.Length > 0)
            {
                Dropped(connection, reservation.Id, agentId, NoResourceProvider(agentId));
            }
            else
            {
                kept.Reservations.Add(reservation);
            }
        }

        var partitionAware = state.Frameworks.TryGetValue(connection.FrameworkId, out var framework) && framework.Info.Has(FrameworkCapability.PartitionAware);
        var refusedGroupTasks = accept.LaunchGroups.Where(g => g.OperationId.Length > 0).SelectMany(g => g.Tasks);
        foreach (var (task, refused) in accept.Launch.Select(t => (t, accept.LaunchOperationIds.ContainsKey(t.TaskId))).Concat(refusedGroupTasks.Select(t => (t, true))))
        {
            if (!refused)
            {
                kept.Launch.Add(task);
                continue;
            }

            var status = new TaskStatus(TaskState.Error, TaskReason.TaskInvalid, NoLaunchFeedback, StatusSource.Master, null, now);
            connection.Send(new SchedulerEvent
            {
                Update = new SchedulerEvent.Types.Update
                {
                    Status = ProtoMapping.ToWire(new TaskKey(connection.FrameworkId, new TaskId(task.TaskId)), new AgentId(task.AgentId), null, status, partitionAware),
                },
            });
        }

        return kept;
    }

    /// <summary>OPERATION_ERROR for an operation the master dropped (Mesos' <c>Master::drop</c> of an operation with an id).</summary>
    public static void Dropped(FrameworkConnection connection, string operationId, AgentId agentId, string message) =>
        Send(connection, operationId, OperationState.OperationError, message, agentId.Value, string.Empty);

    /// <summary>
    /// RECONCILE_OPERATIONS. Empty <paramref name="asked"/> (implicit) answers every operation the master knows of
    /// the framework: none. Explicitly asked operations are all unknown to the master, so each answer says what is
    /// known of its agent, as Mesos' <c>Master::reconcileOperations</c> does for an unknown operation.
    /// </summary>
    public static void Reconcile(ClusterState state, FrameworkConnection connection, IReadOnlyList<(string OperationId, string AgentId, string ResourceProviderId)> asked)
    {
        foreach (var (operationId, agentId, providerId) in asked)
        {
            var answer = agentId.Length == 0 || !state.Agents.TryGetValue(new AgentId(agentId), out var agent)
                ? OperationState.OperationUnknown
                : agent.Status switch
                {
                    AgentStatus.Unreachable => OperationState.OperationUnreachable,
                    AgentStatus.Removed => OperationState.OperationGoneByOperator,
                    AgentStatus.Disconnected when Recovered(state, agent) => OperationState.OperationRecovering,
                    _ => OperationState.OperationUnknown,
                };
            Send(connection, operationId, answer, string.Empty, agentId, providerId);
        }
    }

    /// <summary>Known from before the current master's election and not re-registered since (Mesos' "recovered" agents).</summary>
    private static bool Recovered(ClusterState state, AgentState agent) =>
        state.ElectedAt is { } elected && (agent.ReregisteredAt ?? agent.RegisteredAt) < elected;

    private static void Send(FrameworkConnection connection, string operationId, OperationState state, string message, string agentId, string providerId) =>
        connection.Send(new SchedulerEvent
        {
            UpdateOperationStatus = new SchedulerEvent.Types.UpdateOperationStatus
            {
                Status = new OperationStatus
                {
                    OperationId = operationId,
                    State = state,
                    Message = message,
                    AgentId = agentId,
                    ResourceProviderId = providerId,
                },
            },
        });
}
