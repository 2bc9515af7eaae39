using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.State;

namespace Mesos.Projections.Engine;

/// <summary>
/// The agents, frameworks, tasks and offers an event touched (whose state may differ before and after it), and
/// whether it changed role settings. Read models refresh only these; the history index records them.
/// </summary>
public sealed class EventScope
{
    private EventScope()
    {
    }

    public HashSet<AgentId> Agents { get; } = [];

    public HashSet<FrameworkId> Frameworks { get; } = [];

    public HashSet<TaskKey> Tasks { get; } = [];

    public HashSet<OfferId> Offers { get; } = [];

    public bool Roles { get; private set; }

    public static EventScope Of(ClusterEvent @event, ClusterState before)
    {
        var scope = new EventScope();
        switch (@event)
        {
            case MasterElected:
                scope.Agents.UnionWith(before.Agents.Keys);
                scope.Frameworks.UnionWith(before.Frameworks.Keys);
                scope.Offers.UnionWith(before.Offers.Keys);
                break;
            case AgentRegistered e:
                scope.Agents.Add(e.AgentId);
                break;
            case AgentReregistered e:
                scope.Agents.Add(e.AgentId);
                break;
            case AgentHeartbeatReceived e:
                scope.Agents.Add(e.AgentId);
                break;
            case AgentDisconnected e:
                scope.OffersOnAgent(before, e.AgentId);
                break;
            case AgentMarkedUnreachable e:
                scope.OffersOnAgent(before, e.AgentId);
                break;
            case AgentRemoved e:
                scope.OffersOnAgent(before, e.AgentId);
                break;
            case AgentDeactivated e:
                scope.OffersOnAgent(before, e.AgentId);
                break;
            case AgentReactivated e:
                scope.Agents.Add(e.AgentId);
                break;
            case AgentDrainStarted e:
                scope.OffersOnAgent(before, e.AgentId);
                break;
            case AgentDrained e:
                scope.Agents.Add(e.AgentId);
                break;
            case FrameworkSubscribed e:
                scope.Frameworks.Add(e.FrameworkId);
                break;
            case FrameworkDisconnected e:
                scope.OffersOf(before, e.FrameworkId);
                break;
            case FrameworkRemoved e:
                scope.OffersOf(before, e.FrameworkId);
                foreach (var task in before.TasksOf(e.FrameworkId))
                {
                    scope.Task(task.Key, task.AgentId);
                }

                // Its executors go too, and give their resources back to agents where it may have no task left.
                scope.Agents.UnionWith(before.Executors.Values.Where(x => x.Key.FrameworkId == e.FrameworkId).Select(x => x.AgentId));
                break;
            case FrameworkSuppressed e:
                scope.Frameworks.Add(e.FrameworkId);
                break;
            case FrameworkRevived e:
                scope.Frameworks.Add(e.FrameworkId);
                break;
            case FrameworkUpdated e:
                scope.Frameworks.Add(e.FrameworkId);
                break;
            case AllocationCycleRan or AllocatorConfigured:
                break;
            case OfferMade e:
                scope.Offers.Add(e.OfferId);
                scope.Agents.Add(e.AgentId);
                scope.Frameworks.Add(e.FrameworkId);
                break;
            case OfferDeclined e:
                scope.Offer(before, e.OfferId);
                break;
            case OfferAccepted e:
                scope.Offer(before, e.OfferId);
                break;
            case OfferRescinded e:
                scope.Offer(before, e.OfferId);
                break;
            case TaskLaunched e:
                scope.Task(new TaskKey(e.FrameworkId, e.Task.TaskId), e.Task.AgentId);
                scope.Offer(before, e.OfferId);
                break;
            case TaskLaunchedOnExecutor e:
                scope.Task(new TaskKey(e.FrameworkId, e.Task.TaskId), e.Task.AgentId);
                scope.Offer(before, e.OfferId);
                break;
            case TaskGroupLaunched e:
                foreach (var task in e.Tasks)
                {
                    scope.Task(new TaskKey(e.FrameworkId, task.TaskId), task.AgentId);
                }

                scope.Offer(before, e.OfferId);
                break;
            case ExecutorShutdownRequested e:
                scope.Agents.Add(e.AgentId);
                scope.Frameworks.Add(e.FrameworkId);
                break;
            case ExecutorTerminated e:
                // The executor's own resources go back to its agent and framework.
                scope.Agents.Add(e.AgentId);
                scope.Frameworks.Add(e.FrameworkId);
                break;
            case TaskStatusUpdated e:
                scope.Task(new TaskKey(e.FrameworkId, e.TaskId), e.AgentId);
                break;
            case TaskStatusAcknowledged e:
                scope.Task(new TaskKey(e.FrameworkId, e.TaskId), e.AgentId);
                break;
            case TaskKillRequested e:
                scope.Task(new TaskKey(e.FrameworkId, e.TaskId), e.AgentId);
                break;
            case ResourcesReserved e:
                scope.Reservation(before, e.AgentId, e.OfferId);
                break;
            case ResourcesUnreserved e:
                scope.Reservation(before, e.AgentId, e.OfferId);
                break;
            case VolumesCreated e:
                scope.Reservation(before, e.AgentId, e.OfferId);
                break;
            case VolumesDestroyed e:
                scope.Reservation(before, e.AgentId, e.OfferId);
                break;
            case VolumeGrown e:
                scope.Reservation(before, e.AgentId, e.OfferId);
                break;
            case VolumeShrunk e:
                scope.Reservation(before, e.AgentId, e.OfferId);
                break;
            case RoleWeightsUpdated or QuotaUpdated:
                scope.Roles = true;
                break;
            case MaintenanceScheduleUpdated e:
                // Agents on every machine the update touches lose their offers.
                var touched = before.Maintenance.Machines.Keys.Concat(e.Windows.SelectMany(w => w.Machines)).ToHashSet();
                foreach (var agent in before.Agents.Values.Where(a => touched.Contains(a.Machine)))
                {
                    scope.OffersOnAgent(before, agent.Id);
                }

                break;
            case MachinesDown e:
                scope.Agents.UnionWith(before.Agents.Values.Where(a => e.Machines.Contains(a.Machine)).Select(a => a.Id));
                break;
            case MachinesUp e:
                scope.Agents.UnionWith(before.Agents.Values.Where(a => e.Machines.Contains(a.Machine)).Select(a => a.Id));
                break;
            case AgentAddressRecorded e:
                scope.Agents.Add(e.AgentId);
                break;
            case InverseOfferMade e:
                scope.Agents.Add(e.AgentId);
                scope.Frameworks.Add(e.FrameworkId);
                break;
            case InverseOfferAnswered or InverseOfferRescinded:
                var inverseId = @event is InverseOfferAnswered answered ? answered.InverseOfferId : ((InverseOfferRescinded)@event).InverseOfferId;
                if (before.Maintenance.InverseOffers.TryGetValue(inverseId, out var inverse))
                {
                    scope.Agents.Add(inverse.AgentId);
                    scope.Frameworks.Add(inverse.FrameworkId);
                }

                break;
            default:
                throw new InvalidOperationException($"EventScope has no case for event {@event.GetType().Name}");
        }

        return scope;
    }

    private void Task(TaskKey key, AgentId agentId)
    {
        Tasks.Add(key);
        Agents.Add(agentId);
        Frameworks.Add(key.FrameworkId);
    }

    private void Offer(ClusterState before, OfferId offerId)
    {
        Offers.Add(offerId);
        if (before.Offers.TryGetValue(offerId, out var offer))
        {
            Agents.Add(offer.AgentId);
            Frameworks.Add(offer.FrameworkId);
        }
    }

    // A reservation changes the agent's total and each role's reserved resources, and, out of an offer, that offer.
    private void Reservation(ClusterState before, AgentId agentId, OfferId? offerId)
    {
        Agents.Add(agentId);
        Roles = true;
        if (offerId is { } id)
        {
            Offer(before, id);
        }
    }

    private void OffersOnAgent(ClusterState before, AgentId agentId)
    {
        Agents.Add(agentId);
        foreach (var offer in before.Offers.Values.Where(o => o.AgentId == agentId))
        {
            Offers.Add(offer.Id);
            Frameworks.Add(offer.FrameworkId);
        }
    }

    private void OffersOf(ClusterState before, FrameworkId frameworkId)
    {
        Frameworks.Add(frameworkId);
        foreach (var offer in before.Offers.Values.Where(o => o.FrameworkId == frameworkId))
        {
            Offers.Add(offer.Id);
            Agents.Add(offer.AgentId);
        }
    }
}
