using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.State;
using Mesos.Master.Api.Grpc;
using Mesos.Protocol.Mapping;
using Mesos.Protocol.V1;

namespace Mesos.Master.Notify;

/// <summary>
/// Turns committed events into messages for frameworks and agents. It only ever sees events that are already
/// durable, which is what makes "nothing leaves the master before its event is in the log" hold by
/// construction. Messages to peers that are not connected are dropped: agents retry their updates and
/// frameworks reconcile when they come back.
/// </summary>
public sealed class OutboundRouter(ConnectionRegistry connections)
{
    public void Route(ClusterState before, ClusterState after, IReadOnlyList<ClusterEvent> events)
    {
        var offersByFramework = new Dictionary<FrameworkId, SchedulerEvent.Types.Offers>();
        var explicitlyClosed = new HashSet<OfferId>();
        var inverseByFramework = new Dictionary<FrameworkId, SchedulerEvent.Types.InverseOffers>();
        var answered = new HashSet<OfferId>();
        ILookup<(FrameworkId, AgentId), ExecutorId>? executorIds = null;

        foreach (var @event in events)
        {
            switch (@event)
            {
                case OfferMade e:
                    if (!offersByFramework.TryGetValue(e.FrameworkId, out var offers))
                    {
                        offers = new SchedulerEvent.Types.Offers();
                        offersByFramework[e.FrameworkId] = offers;
                    }

                    executorIds ??= after.ExecutorIdsByFrameworkAndAgent();
                    offers.Offers_.Add(ToWireOffer(after, e, executorIds[(e.FrameworkId, e.AgentId)]));
                    break;

                case OfferAccepted e:
                    explicitlyClosed.Add(e.OfferId);
                    break;

                case InverseOfferMade e:
                    if (!inverseByFramework.TryGetValue(e.FrameworkId, out var inverse))
                    {
                        inverse = new SchedulerEvent.Types.InverseOffers();
                        inverseByFramework[e.FrameworkId] = inverse;
                    }

                    inverse.InverseOffers_.Add(ToWireInverseOffer(after, e));
                    break;

                case InverseOfferAnswered e:
                    answered.Add(e.InverseOfferId);
                    break;

                case OfferDeclined e:
                    explicitlyClosed.Add(e.OfferId);
                    break;

                case TaskLaunched e:
                    if (after.Frameworks.TryGetValue(e.FrameworkId, out var launching))
                    {
                        connections.Agent(e.Task.AgentId)?.Send(new MasterToAgent
                        {
                            RunTask = new MasterToAgent.Types.RunTask
                            {
                                FrameworkInfo = ProtoMapping.ToWire(e.FrameworkId, launching.Info),
                                Task = ProtoMapping.ToWire(e.Task, (e as TaskLaunchedV2)?.Details ?? Core.Tasks.TaskLaunchDetails.None),
                                ExecutorId = e.ExecutorId.Value,
                            },
                        });
                    }

                    break;

                case TaskLaunchedOnExecutor e:
                    if (after.Frameworks.TryGetValue(e.FrameworkId, out var launchingOn))
                    {
                        connections.Agent(e.Task.AgentId)?.Send(new MasterToAgent
                        {
                            RunTask = new MasterToAgent.Types.RunTask
                            {
                                FrameworkInfo = ProtoMapping.ToWire(e.FrameworkId, launchingOn.Info),
                                Task = ExecutorMapping.ToWire(e.Task, e.Executor, e.FrameworkId),
                                ExecutorId = e.Executor.ExecutorId.Value,
                            },
                        });
                    }

                    break;

                case TaskGroupLaunched e:
                    if (after.Frameworks.TryGetValue(e.FrameworkId, out var launchingGroup))
                    {
                        var run = new MasterToAgent.Types.RunTaskGroup
                        {
                            FrameworkInfo = ProtoMapping.ToWire(e.FrameworkId, launchingGroup.Info),
                            Executor = ExecutorMapping.ToWire(e.Executor, e.ExecutorType, e.FrameworkId),
                        };
                        run.Tasks.AddRange(e.Tasks.Select((t, i) => ProtoMapping.ToWire(t, e.Details[i])));
                        connections.Agent(e.Tasks[0].AgentId)?.Send(new MasterToAgent { RunTaskGroup = run });
                    }

                    break;

                case TaskStatusUpdated e:
                    ForwardStatus(after, e.FrameworkId, e.TaskId, e.AgentId, e.Status);
                    break;

                case TaskStatusAcknowledged e:
                    connections.Agent(e.AgentId)?.Send(new MasterToAgent
                    {
                        StatusAcknowledged = new MasterToAgent.Types.StatusAcknowledged
                        {
                            FrameworkId = e.FrameworkId.Value,
                            TaskId = e.TaskId.Value,
                            Uuid = Google.Protobuf.ByteString.CopyFrom(e.Uuid.ToByteArray(bigEndian: true)),
                        },
                    });
                    break;

                case TaskKillRequested e:
                    connections.Agent(e.AgentId)?.Send(KillMessage(e.FrameworkId, e.TaskId, e.GracePeriod));
                    break;

                case FrameworkRemoved e:
                    // Custom executors outlive their finished tasks, so their agents are told too.
                    var executorAgents = before.Executors.Values.Where(x => x.Key.FrameworkId == e.FrameworkId).Select(x => x.AgentId);
                    foreach (var agentId in before.TasksOf(e.FrameworkId).Select(t => t.AgentId).Concat(executorAgents).Distinct())
                    {
                        connections.Agent(agentId)?.Send(new MasterToAgent
                        {
                            ShutdownFramework = new MasterToAgent.Types.ShutdownFramework { FrameworkId = e.FrameworkId.Value },
                        });
                    }

                    if (connections.Framework(e.FrameworkId) is { } removed)
                    {
                        removed.Close("Framework removed: " + e.Reason);
                        connections.Detach(removed);
                    }

                    break;

                case AgentDrainStarted e:
                    connections.Agent(e.AgentId)?.Send(DrainMessage(e.MaxGracePeriodNanoseconds, e.MarkGone));
                    break;

                case AgentRemoved e:
                    // A machine brought down: as Mesos' removeSlave, every framework hears the agent is lost.
                    if (e.Reason == MaintenanceDecisions.MachineDownReason)
                    {
                        foreach (var connection in connections.Frameworks)
                        {
                            connection.Send(new SchedulerEvent { Failure = new SchedulerEvent.Types.Failure { AgentId = e.AgentId.Value } });
                        }
                    }

                    // Mesos tells a gone agent to shut down; its stream ends after that message.
                    if (connections.Agent(e.AgentId) is { } gone)
                    {
                        connections.Detach(gone);
                        gone.Finish(new MasterToAgent { Shutdown = new MasterToAgent.Types.Shutdown { Message = e.Reason } });
                    }

                    break;

                case FrameworkUpdated e when after.Frameworks.TryGetValue(e.FrameworkId, out var updated)
                    && !(before.Frameworks.TryGetValue(e.FrameworkId, out var previous) && previous.Info == updated.Info):
                    // As Mesos' UpdateFrameworkMessage: every agent learns the new FrameworkInfo (a change of the
                    // suppressed roles alone is the allocator's business, not theirs).
                    var update = new MasterToAgent
                    {
                        UpdateFramework = new MasterToAgent.Types.UpdateFramework { FrameworkInfo = ProtoMapping.ToWire(e.FrameworkId, updated.Info) },
                    };
                    foreach (var agent in connections.Agents)
                    {
                        agent.Send(update);
                    }

                    break;

                case ExecutorShutdownRequested e:
                    connections.Agent(e.AgentId)?.Send(new MasterToAgent
                    {
                        ShutdownExecutor = new MasterToAgent.Types.ShutdownExecutor { FrameworkId = e.FrameworkId.Value, ExecutorId = e.ExecutorId.Value },
                    });
                    break;

                case ExecutorTerminated e:
                    // Mesos' FAILURE for a terminated executor, with its exit status when the agent knew it.
                    var failure = new SchedulerEvent.Types.Failure { AgentId = e.AgentId.Value, ExecutorId = e.ExecutorId.Value };
                    if (e.ExitStatus is { } exit)
                    {
                        failure.Status = exit;
                    }

                    connections.Framework(e.FrameworkId)?.Send(new SchedulerEvent { Failure = failure });
                    break;

                case ResourcesReserved e:
                    SendCheckpoint(after, e.AgentId);
                    break;

                case ResourcesUnreserved e:
                    SendCheckpoint(after, e.AgentId);
                    break;

                case VolumesCreated e:
                    SendCheckpoint(after, e.AgentId);
                    break;

                case VolumesDestroyed e:
                    SendCheckpoint(after, e.AgentId);
                    break;

                case VolumeGrown e:
                    SendCheckpoint(after, e.AgentId);
                    break;

                case VolumeShrunk e:
                    SendCheckpoint(after, e.AgentId);
                    break;

                case AgentMarkedUnreachable e:
                    foreach (var connection in connections.Frameworks)
                    {
                        connection.Send(new SchedulerEvent { Failure = new SchedulerEvent.Types.Failure { AgentId = e.AgentId.Value } });
                    }

                    break;
            }
        }

        foreach (var (frameworkId, offers) in offersByFramework)
        {
            connections.Framework(frameworkId)?.Send(new SchedulerEvent { Offers = offers });
        }

        foreach (var (frameworkId, inverse) in inverseByFramework)
        {
            connections.Framework(frameworkId)?.Send(new SchedulerEvent { InverseOffers = inverse });
        }

        // Inverse offers that end without an answer (rescinded, or voided by a schedule change) are rescinded.
        foreach (var (inverseId, inverse) in before.Maintenance.InverseOffers)
        {
            if (!after.Maintenance.InverseOffers.ContainsKey(inverseId) && !answered.Contains(inverseId))
            {
                connections.Framework(inverse.FrameworkId)?.Send(new SchedulerEvent
                {
                    RescindInverseOffer = new SchedulerEvent.Types.RescindInverseOffer { InverseOfferId = inverseId.Value },
                });
            }
        }

        // Offers can also vanish as a side effect (agent gone, framework disconnected, master elected); the
        // framework learns of each one it did not close itself.
        foreach (var (offerId, offer) in before.Offers)
        {
            if (!after.Offers.ContainsKey(offerId) && !explicitlyClosed.Contains(offerId))
            {
                connections.Framework(offer.FrameworkId)?.Send(new SchedulerEvent { Rescind = new SchedulerEvent.Types.Rescind { OfferId = offerId.Value } });
            }
        }
    }

    /// <summary>
    /// Tells an agent again that the framework acknowledged <paramref name="uuid"/>: a restarted agent resends updates
    /// whose acknowledgement it never saw, and would otherwise hold the task's later updates back forever.
    /// </summary>
    public void ResendAcknowledgement(AgentId agentId, FrameworkId frameworkId, TaskId taskId, Guid uuid) =>
        connections.Agent(agentId)?.Send(new MasterToAgent
        {
            StatusAcknowledged = new MasterToAgent.Types.StatusAcknowledged
            {
                FrameworkId = frameworkId.Value,
                TaskId = taskId.Value,
                Uuid = Google.Protobuf.ByteString.CopyFrom(uuid.ToByteArray(bigEndian: true)),
            },
        });

    /// <summary>Sends a status to its framework, also for a retried update the master already has (at-least-once).</summary>
    public void ForwardStatus(ClusterState state, FrameworkId frameworkId, TaskId taskId, AgentId agentId, Core.Tasks.TaskStatus status)
    {
        if (connections.Framework(frameworkId) is not { } connection)
        {
            return;
        }

        var partitionAware = state.Frameworks.TryGetValue(frameworkId, out var framework) && framework.Info.Has(FrameworkCapability.PartitionAware);
        ExecutorId? executorId = state.Tasks.TryGetValue(new TaskKey(frameworkId, taskId), out var task) ? task.ExecutorId : null;
        connection.Send(new SchedulerEvent
        {
            Update = new SchedulerEvent.Types.Update
            {
                Status = ProtoMapping.ToWire(new TaskKey(frameworkId, taskId), agentId, executorId, status, partitionAware),
            },
        });
    }

    /// <summary>
    /// Mesos' CheckpointResourcesMessage: what the master records of the agent beyond its --resources (dynamic
    /// reservations and persistent volumes). The agent creates the volumes it does not have and removes those gone.
    /// </summary>
    public static MasterToAgent CheckpointMessage(AgentState agent)
    {
        var checkpoint = new MasterToAgent.Types.CheckpointResources();
        checkpoint.Resources.AddRange(WireForm.Of(agent.Info.Resources.Filter(r => r.IsDynamicallyReserved || r.IsPersistentVolume), format: ReservationFormat.PostRefinement));
        return new MasterToAgent { CheckpointResources = checkpoint };
    }

    private void SendCheckpoint(ClusterState after, AgentId agentId)
    {
        // Several operations of one ACCEPT each send the same final state; the agent applies them idempotently.
        if (after.Agents.TryGetValue(agentId, out var agent))
        {
            connections.Agent(agentId)?.Send(CheckpointMessage(agent));
        }
    }

    public static MasterToAgent KillMessage(FrameworkId frameworkId, TaskId taskId, TimeSpan? gracePeriod)
    {
        var kill = new MasterToAgent.Types.KillTask { FrameworkId = frameworkId.Value, TaskId = taskId.Value };
        if (gracePeriod is { } grace)
        {
            kill.KillPolicy = new KillPolicy { GracePeriodNanoseconds = grace.Ticks * 100 };
        }

        return new MasterToAgent { KillTask = kill };
    }

    /// <summary>Mesos' DrainSlaveMessage with the drain's config.</summary>
    public static MasterToAgent DrainMessage(long? maxGracePeriodNanoseconds, bool markGone)
    {
        var drain = new MasterToAgent.Types.Drain { MarkGone = markGone };
        if (maxGracePeriodNanoseconds is { } grace)
        {
            drain.MaxGracePeriodNanoseconds = grace;
        }

        return new MasterToAgent { Drain = drain };
    }

    private static Offer ToWireOffer(ClusterState state, OfferMade e, IEnumerable<ExecutorId> executorIds)
    {
        var offer = new Offer
        {
            Id = e.OfferId.Value,
            FrameworkId = e.FrameworkId.Value,
            AgentId = e.AgentId.Value,
            AllocationInfo = new AllocationInfo { Role = e.Role },
        };
        // As Mesos, a framework that cannot read reservation stacks gets the pre-refinement format (role and
        // reservation); the allocator never offers it refined reservations.
        var refinement = state.Frameworks.TryGetValue(e.FrameworkId, out var framework) && framework.Info.Has(FrameworkCapability.ReservationRefinement);
        offer.Resources.AddRange(ProtoMapping.ToWire(e.Resources, e.Role, refinement ? ReservationFormat.PostRefinement : ReservationFormat.PreRefinement));
        offer.ExecutorIds.AddRange(executorIds.Select(id => id.Value));
        if (state.Agents.TryGetValue(e.AgentId, out var agent))
        {
            offer.Hostname = agent.Info.Hostname;
            offer.Ip = agent.Ip ?? string.Empty;
            offer.Port = agent.Info.Port;
            offer.Attributes.AddRange(ProtoMapping.ToWire(agent.Info.Attributes));

            // As Mesos' offers: an agent whose machine is scheduled for maintenance says when it will be unavailable.
            if (state.Maintenance.UnavailabilityOf(agent.Machine) is { } unavailability)
            {
                offer.Unavailability = ToWire(unavailability);
            }
        }

        return offer;
    }

    private static InverseOffer ToWireInverseOffer(ClusterState state, InverseOfferMade e) =>
        InverseOfferMapping.ToWire(state, e.InverseOfferId, e.FrameworkId, e.AgentId, e.Unavailability);

    private static Unavailability ToWire(Core.Maintenance.Unavailability unavailability) => InverseOfferMapping.ToWire(unavailability);
}
