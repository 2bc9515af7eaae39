using Mesos.Core.Events;
using Mesos.Core.Tasks;
using Mesos.Projections.Views;

namespace Mesos.Projections.History;

/// <summary>One line per event for the timeline.</summary>
public static class Summaries
{
    public static string Of(ClusterEvent @event) => @event switch
    {
        MasterElected e => $"master {e.Master.Id} elected ({e.Master.Hostname}:{e.Master.Port})",
        AgentRegistered e => $"agent {e.AgentId} registered: {e.Info.Hostname} {e.Info.Resources}",
        AgentReregistered e => $"agent {e.AgentId} re-registered: {e.Info.Hostname}",
        AgentHeartbeatReceived e => $"heartbeat from agent {e.AgentId}",
        AgentDisconnected e => $"agent {e.AgentId} disconnected",
        AgentMarkedUnreachable e => $"agent {e.AgentId} unreachable",
        AgentRemoved e => $"agent {e.AgentId} removed: {e.Reason}",
        AgentDeactivated e => $"agent {e.AgentId} deactivated by the operator: no offers",
        MaintenanceScheduleUpdated e => $"maintenance schedule updated: {e.Windows.Sum(w => w.Machines.Count)} machine(s) in {e.Windows.Count} window(s)",
        MachinesDown e => $"machine(s) {string.Join(", ", e.Machines)} down for maintenance",
        MachinesUp e => $"machine(s) {string.Join(", ", e.Machines)} up after maintenance",
        InverseOfferMade e => $"inverse offer {e.InverseOfferId} to framework {e.FrameworkId} for agent {e.AgentId}",
        InverseOfferAnswered e => $"inverse offer {e.InverseOfferId} answered {e.Answer}",
        InverseOfferRescinded e => $"inverse offer {e.InverseOfferId} rescinded: {e.Reason}",
        AgentReactivated e => $"agent {e.AgentId} reactivated by the operator",
        AgentDrainStarted e => $"agent {e.AgentId} draining{(e.MarkGone ? ", to be marked gone" : string.Empty)}",
        AgentDrained e => $"agent {e.AgentId} drained",
        FrameworkSubscribed e => $"framework {e.Info.Name} ({e.FrameworkId}) {(e.Resubscribed ? "re-subscribed" : "subscribed")} in roles {string.Join(",", e.Info.Roles)}",
        FrameworkDisconnected e => $"framework {e.FrameworkId} disconnected",
        FrameworkRemoved e => $"framework {e.FrameworkId} removed: {e.Reason}",
        FrameworkSuppressed e => $"framework {e.FrameworkId} suppressed {string.Join(",", e.Roles)}",
        FrameworkRevived e => $"framework {e.FrameworkId} revived {string.Join(",", e.Roles)}",
        FrameworkUpdated e => $"framework {e.FrameworkId} updated: {e.Info.Name} in {string.Join(",", e.Info.Roles)}" + (e.SuppressedRoles.Count > 0 ? $", suppressed {string.Join(",", e.SuppressedRoles)}" : string.Empty),
        AllocationCycleRan e => $"allocation cycle {e.Cycle}: {e.OffersMade} offers",
        OfferMade e => $"offer {e.OfferId} to {e.FrameworkId} on {e.AgentId} ({e.Role}): {e.Resources}",
        OfferDeclined e => $"offer {e.OfferId} declined, refused until {e.RefuseUntil:O}",
        OfferAccepted e => $"offer {e.OfferId} accepted",
        OfferRescinded e => $"offer {e.OfferId} rescinded: {e.Reason}",
        TaskLaunched e => $"task {e.Task.TaskId} ({e.Task.Name}) launched on {e.Task.AgentId} from offer {e.OfferId}: {e.Task.Resources}",
        TaskStatusUpdated e => $"task {e.TaskId} {TaskStates.Name(e.Status.State)}{(e.Status.Message.Length > 0 ? ": " + e.Status.Message : string.Empty)}",
        TaskStatusAcknowledged e => $"task {e.TaskId} update {e.Uuid} acknowledged",
        TaskKillRequested e => $"kill of task {e.TaskId} requested",
        TaskLaunchedOnExecutor e => $"task {e.Task.TaskId} ({e.Task.Name}) launched on executor {e.Executor.ExecutorId} on {e.Task.AgentId} from offer {e.OfferId}: {e.Task.Resources} (executor: {e.Executor.Resources})",
        TaskGroupLaunched e => $"task group {string.Join(",", e.Tasks.Select(t => t.TaskId))} launched on {(e.ExecutorType == ExecutorType.Default ? "default" : "custom")} executor {e.Executor.ExecutorId} on {e.Tasks[0].AgentId} from offer {e.OfferId}: {string.Join(" + ", e.Tasks.Select(t => t.Resources.ToString()))} (executor: {e.Executor.Resources})",
        ExecutorShutdownRequested e => $"shutdown of executor {e.ExecutorId} of {e.FrameworkId} on {e.AgentId} requested",
        ExecutorTerminated e => $"executor {e.ExecutorId} of {e.FrameworkId} on {e.AgentId} terminated",
        RoleWeightsUpdated e => $"weights: {string.Join(", ", e.Weights.Select(w => w.Role + "=" + w.Weight))}",
        QuotaUpdated e => $"quota of {string.Join(", ", e.Quotas.Select(q => q.Role))} updated",
        AllocatorConfigured e => $"allocator configured: --min_allocatable_resources={e.MinAllocatableResources}",
        _ => @event.GetType().Name,
    };
}
