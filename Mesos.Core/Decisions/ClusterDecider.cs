using System.Globalization;
using Mesos.Core.Agents;
using Mesos.Core.Allocation;
using Mesos.Core.Commands;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Core.Reservations;
using Mesos.Core.Resources;
using Mesos.Core.State;
using Mesos.Core.Tasks;

namespace Mesos.Core.Decisions;

/// <summary>
/// Decide: <c>(state, command, now) -> events | error</c>. Pure; every rule a command must satisfy is checked here,
/// against the state as it is right before the append, so the fold only ever sees facts.
/// </summary>
public sealed class ClusterDecider(IAllocator allocator)
{
    /// <summary>Mesos' default <c>Filters.refuse_seconds</c>.</summary>
    public const double DefaultRefuseSeconds = 5.0;

    /// <summary>Mesos caps <c>refuse_seconds</c> at 365 days.</summary>
    public const double MaxRefuseSeconds = 31_536_000;

    public Decision Decide(ClusterState state, MasterCommand command, DateTimeOffset now) =>
        DrainDecisions.FollowUp(state, DecideOne(state, command, now), command.Principal, now);

    private Decision DecideOne(ClusterState state, MasterCommand command, DateTimeOffset now) => command switch
    {
        ElectMaster c => ElectMaster(state, c, now),
        RegisterAgent c => MaintenanceDecisions.Admit(state, c.Info, c.Ip, now, c.Principal, () => RegisterAgent(state, c, now)),
        ReregisterAgent c => MaintenanceDecisions.Admit(state, c.Info, c.Ip, now, c.Principal, () => ReregisterAgent(state, c, now)),
        RecordAgentHeartbeat c => RecordHeartbeat(state, c, now),
        DisconnectAgent c => state.Agents.TryGetValue(c.AgentId, out var agent) && agent.Status == AgentStatus.Active
            ? Decision.Of(new AgentDisconnected(c.AgentId) { At = now, Principal = c.Principal })
            : Decision.None,
        CheckAgentHealth c => CheckAgentHealth(state, c, now),
        SubscribeFramework c => SubscribeFramework(state, c, now),
        UpdateFramework c => FrameworkUpdates.Decide(state, c, now),
        DisconnectFramework c => DisconnectFramework(state, c, now),
        ExpireFrameworks c => ExpireFrameworks(state, c, now),
        TeardownFramework c => state.Frameworks.ContainsKey(c.FrameworkId)
            ? Decision.Of(new FrameworkRemoved(c.FrameworkId, "torn down") { At = now, Principal = c.Principal })
            : Decision.Fail(DecideErrorKind.NotFound, $"Framework '{c.FrameworkId}' is not known to the master"),
        AcceptOffers c => AcceptOffers(state, c, now),
        DeclineOffers c => DeclineOffers(state, c, now),
        ReviveOffers c => WithActiveFramework(state, c.FrameworkId, _ => Decision.Of(new FrameworkRevived(c.FrameworkId, c.Roles) { At = now, Principal = c.Principal })),
        SuppressOffers c => WithActiveFramework(state, c.FrameworkId, _ => Decision.Of(new FrameworkSuppressed(c.FrameworkId, c.Roles) { At = now, Principal = c.Principal })),
        KillTask c => KillTask(state, c, now),
        UpdateTaskStatus c => UpdateTaskStatus(state, c, now),
        AcknowledgeStatus c => AcknowledgeStatus(state, c, now),
        RunAllocation c => RunAllocation(state, c, now),
        ExpireOffers c => ExpireOffers(state, c, now),
        UpdateWeights c => RoleDecisions.UpdateWeights(c, now),
        UpdateQuota c => RoleDecisions.UpdateQuota(state, c, now),
        RemoveExecutor c => state.Executors.ContainsKey(new ExecutorKey(c.FrameworkId, c.AgentId, c.ExecutorId))
            ? Decision.Of(new ExecutorTerminated(c.FrameworkId, c.AgentId, c.ExecutorId, c.ExitStatus) { At = now, Principal = c.Principal })
            : Decision.None,
        ShutdownExecutor c => WithActiveFramework(state, c.FrameworkId, _ => ShutdownExecutor(state, c, now)),
        ReserveResources c => ReservationDecisions.Operate(state, c.AgentId, ReservationOperationKind.Reserve, c.Resources, c.Principal, now),
        UnreserveResources c => ReservationDecisions.Operate(state, c.AgentId, ReservationOperationKind.Unreserve, c.Resources, c.Principal, now),
        CreateVolumes c => VolumeDecisions.Operate(state, c.AgentId, ReservationOperationKind.Create, c.Volumes, c.Principal, now),
        DestroyVolumes c => VolumeDecisions.Operate(state, c.AgentId, ReservationOperationKind.Destroy, c.Volumes, c.Principal, now),
        GrowVolume c => VolumeResizeDecisions.Grow(state, c, c.Principal, now),
        ShrinkVolume c => VolumeResizeDecisions.Shrink(state, c, c.Principal, now),
        DeactivateAgent c => WithKnownAgent(state, c.AgentId, agent => agent.Deactivated
            ? Decision.None
            : Decision.Of(new AgentDeactivated(c.AgentId) { At = now, Principal = c.Principal })),
        ReactivateAgent c => WithKnownAgent(state, c.AgentId, agent => agent switch
        {
            // As Mesos: a drain must finish before the agent can be offered again; a finished one is cleared.
            { Drain.State: DrainState.Draining } => Decision.Fail(DecideErrorKind.InvalidArgument, DrainDecisions.StillDraining),
            { Deactivated: true } => Decision.Of(new AgentReactivated(c.AgentId) { At = now, Principal = c.Principal }),
            _ => Decision.None,
        }),
        MarkAgentGone c => MarkAgentGone(state, c, now),
        DrainAgent c => DrainDecisions.Drain(state, c, now),
        UpdateMaintenanceSchedule c => MaintenanceDecisions.UpdateSchedule(state, c, now),
        StartMaintenance c => MaintenanceDecisions.StartMaintenance(state, c, now),
        StopMaintenance c => MaintenanceDecisions.StopMaintenance(state, c, now),
        AnswerInverseOffers c => MaintenanceDecisions.Answer(state, c, now),
        _ => throw new InvalidOperationException($"ClusterDecider has no case for command {command.GetType().Name}"),
    };

    private static Decision ElectMaster(ClusterState state, ElectMaster c, DateTimeOffset now)
    {
        var elected = new MasterElected(c.Master) { At = now, Principal = c.Principal };
        return c.MinAllocatableResources is { } minimum && !string.Equals(minimum.Text, state.MinAllocatableResources, StringComparison.Ordinal)
            ? Decision.Of(elected, new AllocatorConfigured(minimum.Text) { At = now, Principal = c.Principal })
            : Decision.Of(elected);
    }

    private static Decision RegisterAgent(ClusterState state, RegisterAgent c, DateTimeOffset now)
    {
        if (state.Master is null)
        {
            return Decision.Fail(DecideErrorKind.FailedPrecondition, "No master has been elected yet");
        }

        if (!MinimumAllocatable.Default.IsMet(c.Info.Resources) && c.Info.Resources.IsEmpty)
        {
            return Decision.Fail(DecideErrorKind.InvalidArgument, "Agent announces no resources");
        }

        // A registration retried before its reply arrived (or sent twice) comes from the agent already admitted at
        // that address: as Mesos ("already registered, resending acknowledgement"), it gets the same id, not a second.
        var same = state.Agents.Values.FirstOrDefault(a => a.Status == AgentStatus.Active
            && string.Equals(a.Info.Hostname, c.Info.Hostname, StringComparison.Ordinal) && a.Info.Port == c.Info.Port);
        if (same is not null)
        {
            return Decision.Of(new AgentReregistered(same.Id, same.Info) { At = now, Principal = c.Principal });
        }

        var id = new AgentId(string.Create(CultureInfo.InvariantCulture, $"{state.IdPrefix}-S{state.NextAgentNumber}"));
        return Decision.Of(new AgentRegistered(id, c.Info) { At = now, Principal = c.Principal });
    }

    private static Decision ReregisterAgent(ClusterState state, ReregisterAgent c, DateTimeOffset now)
    {
        if (state.Agents.TryGetValue(c.AgentId, out var known) && known.Status == AgentStatus.Removed)
        {
            return Decision.Fail(DecideErrorKind.FailedPrecondition, $"Agent '{c.AgentId}' was removed; it must register as a new agent");
        }

        var events = new List<ClusterEvent> { new AgentReregistered(c.AgentId, c.Info) { At = now, Principal = c.Principal } };
        var reported = c.Tasks.ToDictionary(t => new TaskKey(t.FrameworkId, t.TaskId));
        foreach (var task in state.TasksOn(c.AgentId))
        {
            if (reported.TryGetValue(task.Key, out var report))
            {
                // A task reported while the master thinks it unreachable or lost came back with its agent.
                if (task.State is TaskState.Unreachable or TaskState.Lost
                    && !TaskStateMachine.IsTerminal(report.State)
                    && TaskStateMachine.CanTransition(task.State, report.State))
                {
                    events.Add(new TaskStatusUpdated(task.Key.FrameworkId, task.Key.TaskId, c.AgentId, new TaskStatus(
                        report.State, TaskReason.AgentReregistered, "Agent re-registered", StatusSource.Master, null, now)) { At = now, Principal = c.Principal });
                }

                continue;
            }

            if (!task.IsTerminal)
            {
                events.Add(new TaskStatusUpdated(task.Key.FrameworkId, task.Key.TaskId, c.AgentId, new TaskStatus(
                    LostOrDropped(state, task.Key.FrameworkId), TaskReason.Reconciliation, "Task is unknown to the agent", StatusSource.Master, null, now)) { At = now, Principal = c.Principal });
            }
        }

        return Decision.Of(events);
    }

    /// <summary>
    /// Frameworks a re-registering agent still runs tasks of that this master has removed: as Mesos does on
    /// re-registration, the agent is told to shut each of them down (their tasks are killed there). Frameworks the
    /// master does not know at all are left alone; they may yet subscribe.
    /// </summary>
    public static IReadOnlyList<FrameworkId> FrameworksToShutDown(ClusterState state, ReregisterAgent c) =>
        c.Tasks.Select(t => t.FrameworkId)
            .Distinct()
            .Where(id => !state.Frameworks.ContainsKey(id) && state.CompletedFrameworks.Any(f => f.Id == id))
            .Order(Comparer<FrameworkId>.Create((a, b) => string.CompareOrdinal(a.Value, b.Value)))
            .ToList();

    /// <summary>
    /// Operator calls on an agent: one the master never admitted is NotFound, a removed one cannot change. Asking for
    /// the state the agent is already in appends nothing (Mesos answers those calls 200 too).
    /// </summary>
    private static Decision WithKnownAgent(ClusterState state, AgentId agentId, Func<AgentState, Decision> decide)
    {
        if (!state.Agents.TryGetValue(agentId, out var agent))
        {
            return Decision.Fail(DecideErrorKind.NotFound, $"Agent '{agentId}' is not known to the master");
        }

        return agent.Status == AgentStatus.Removed
            ? Decision.Fail(DecideErrorKind.FailedPrecondition, $"Agent '{agentId}' was removed")
            : decide(agent);
    }

    /// <summary>
    /// MARK_AGENT_GONE, as Mesos' <c>Master::markGone</c>: an agent the master never admitted is NotFound; one already
    /// gone appends nothing (the call is idempotent); otherwise its tasks end GONE_BY_OPERATOR (LOST for frameworks
    /// that are not partition-aware) and the agent is removed, which also voids its offers and executors.
    /// </summary>
    internal static Decision MarkAgentGone(ClusterState state, MarkAgentGone c, DateTimeOffset now)
    {
        if (!state.Agents.TryGetValue(c.AgentId, out var agent))
        {
            return Decision.Fail(DecideErrorKind.NotFound, $"Agent '{c.AgentId}' not found");
        }

        if (agent.Status == AgentStatus.Removed)
        {
            return Decision.None;
        }

        var events = new List<ClusterEvent>();
        foreach (var task in state.TasksOn(agent.Id).Where(t => !t.IsTerminal))
        {
            var partitionAware = state.Frameworks.TryGetValue(task.Key.FrameworkId, out var framework)
                && framework.Info.Has(FrameworkCapability.PartitionAware);
            events.Add(new TaskStatusUpdated(task.Key.FrameworkId, task.Key.TaskId, agent.Id, new TaskStatus(
                partitionAware ? TaskState.GoneByOperator : TaskState.Lost, TaskReason.AgentRemovedByOperator,
                "Agent has been marked gone", StatusSource.Master, null, now)) { At = now, Principal = c.Principal });
        }

        events.Add(new AgentRemoved(agent.Id, AgentRemoved.MarkedGone) { At = now, Principal = c.Principal });
        return Decision.Of(events);
    }

    private static Decision RecordHeartbeat(ClusterState state, RecordAgentHeartbeat c, DateTimeOffset now)
    {
        if (!state.Agents.TryGetValue(c.AgentId, out var agent) || agent.Status != AgentStatus.Active)
        {
            return Decision.Fail(DecideErrorKind.NotFound, $"Agent '{c.AgentId}' is not registered with this master; re-register");
        }

        return Decision.Of(new AgentHeartbeatReceived(c.AgentId) { At = now, Principal = c.Principal });
    }

    private static Decision CheckAgentHealth(ClusterState state, CheckAgentHealth c, DateTimeOffset now)
    {
        var events = new List<ClusterEvent>();
        foreach (var agent in state.Agents.Values)
        {
            if (agent.Status is not (AgentStatus.Active or AgentStatus.Disconnected))
            {
                continue;
            }

            string message;
            if (c is { ElectedAt: { } electedAt, ReregisterTimeout: { } reregisterTimeout } && IsRecovered(agent, electedAt))
            {
                // As Mesos' recovered agents after a failover: the new leader waits --agent_reregister_timeout for
                // each, counted from its election, and only then marks it unreachable.
                if (now - electedAt < reregisterTimeout)
                {
                    continue;
                }

                message = string.Create(CultureInfo.InvariantCulture, $"Agent {agent.Info.Hostname} did not re-register within {reregisterTimeout.TotalSeconds:0.###}s after master failover");
            }
            else if (now - agent.LastSeen < c.PingTimeout)
            {
                continue;
            }
            else
            {
                message = string.Create(CultureInfo.InvariantCulture, $"Agent {agent.Info.Hostname} is unreachable: no heartbeat for {(now - agent.LastSeen).TotalSeconds:0.#}s");
            }

            events.Add(new AgentMarkedUnreachable(agent.Id) { At = now, Principal = c.Principal });
            foreach (var task in state.TasksOn(agent.Id).Where(t => !t.IsTerminal && t.State != TaskState.Unreachable))
            {
                var partitionAware = state.Frameworks.TryGetValue(task.Key.FrameworkId, out var framework)
                    && framework.Info.Has(FrameworkCapability.PartitionAware);
                events.Add(new TaskStatusUpdated(task.Key.FrameworkId, task.Key.TaskId, agent.Id, new TaskStatus(
                    partitionAware ? TaskState.Unreachable : TaskState.Lost, TaskReason.AgentRemoved, message, StatusSource.Master, null, now)) { At = now, Principal = c.Principal });
            }
        }

        return Decision.Of(events);
    }

    /// <summary>Admitted before the master's election and not registered or re-registered with it since.</summary>
    private static bool IsRecovered(AgentState agent, DateTimeOffset electedAt) =>
        agent.Status == AgentStatus.Disconnected
        && (agent.ReregisteredAt is { } reregistered && reregistered > agent.RegisteredAt ? reregistered : agent.RegisteredAt) < electedAt;

    private static Decision SubscribeFramework(ClusterState state, SubscribeFramework c, DateTimeOffset now)
    {
        var (info, invalid) = FrameworkUpdates.Validate(c.Info);
        if (invalid is not null)
        {
            return invalid;
        }

        if (c.FrameworkId is not { } id)
        {
            var minted = new FrameworkId(string.Create(CultureInfo.InvariantCulture, $"{state.IdPrefix}-{state.NextFrameworkNumber:D4}"));
            return Decision.Of(new FrameworkSubscribed(minted, info, Resubscribed: false) { At = now, Principal = c.Principal });
        }

        if (state.CompletedFrameworks.Any(f => f.Id == id))
        {
            return Decision.Fail(DecideErrorKind.FailedPrecondition, $"Framework '{id}' has been removed; subscribe without an id");
        }

        var events = new List<ClusterEvent>();
        if (state.Frameworks.TryGetValue(id, out var existing))
        {
            // As in Mesos, a re-subscription may change most fields, but not who the framework runs as.
            info = info with { User = existing.Info.User, Checkpoint = existing.Info.Checkpoint };

            // And, as Mesos' failover of a framework, it voids the offers the previous connection held: the new
            // one does not know them, and they may be for roles the framework just left.
            events.AddRange(state.Offers.Values
                .Where(o => o.FrameworkId == id)
                .Select(o => new OfferRescinded(o.Id, "framework re-subscribed") { At = now, Principal = c.Principal }));
        }

        events.Add(new FrameworkSubscribed(id, info, Resubscribed: true) { At = now, Principal = c.Principal });
        return Decision.Of(events);
    }

    private static Decision DisconnectFramework(ClusterState state, DisconnectFramework c, DateTimeOffset now)
    {
        if (!state.Frameworks.TryGetValue(c.FrameworkId, out var framework) || framework.Status != FrameworkStatus.Active)
        {
            return Decision.None;
        }

        var disconnected = new FrameworkDisconnected(c.FrameworkId) { At = now, Principal = c.Principal };
        return framework.Info.FailoverTimeoutSeconds <= 0
            ? Decision.Of(disconnected, new FrameworkRemoved(c.FrameworkId, "disconnected with a failover timeout of 0") { At = now, Principal = c.Principal })
            : Decision.Of(disconnected);
    }

    private static Decision ExpireFrameworks(ClusterState state, ExpireFrameworks c, DateTimeOffset now)
    {
        var events = new List<ClusterEvent>();
        var window = c.ReregisterWindow ?? Commands.ExpireFrameworks.DefaultReregisterWindow;
        foreach (var framework in state.Frameworks.Values)
        {
            if (framework.Status != FrameworkStatus.Disconnected || framework.DisconnectedAt is not { } since)
            {
                continue;
            }

            var failover = TimeSpan.FromSeconds(Math.Min(framework.Info.FailoverTimeoutSeconds, TimeSpan.MaxValue.TotalSeconds / 4));
            // Found at the election: it last subscribed under an earlier master and has not come back since.
            var foundAtElection = state.ElectedAt is { } elected && (framework.ReregisteredAt ?? framework.RegisteredAt) < elected;
            if (now - since >= failover && (!foundAtElection || now - state.ElectedAt!.Value >= window))
            {
                events.Add(new FrameworkRemoved(framework.Id, "failover timeout expired") { At = now, Principal = c.Principal });
            }
        }

        return Decision.Of(events);
    }

    private static Decision WithActiveFramework(ClusterState state, FrameworkId id, Func<FrameworkState, Decision> then)
    {
        if (!state.Frameworks.TryGetValue(id, out var framework))
        {
            return Decision.Fail(DecideErrorKind.NotFound, $"Framework '{id}' is not known to the master");
        }

        return framework.Status != FrameworkStatus.Active
            ? Decision.Fail(DecideErrorKind.PermissionDenied, $"Framework '{id}' is not subscribed")
            : then(framework);
    }

    private static DateTimeOffset RefuseUntil(double? refuseSeconds, DateTimeOffset now)
    {
        // As Mesos' allocator: a negative (or unreadable) value means the default, and 365 days is the most.
        var seconds = refuseSeconds is { } s && s >= 0 ? Math.Min(s, MaxRefuseSeconds) : DefaultRefuseSeconds;
        return now + TimeSpan.FromSeconds(seconds);
    }

    private static Decision AcceptOffers(ClusterState state, AcceptOffers c, DateTimeOffset now) =>
        WithActiveFramework(state, c.FrameworkId, framework =>
        {
            if (c.OfferIds.Count == 0)
            {
                return Decision.Fail(DecideErrorKind.InvalidArgument, "ACCEPT names no offers");
            }

            var offers = new List<OfferState>();
            foreach (var offerId in c.OfferIds)
            {
                if (offers.Any(o => o.Id == offerId))
                {
                    return Decision.Fail(DecideErrorKind.InvalidArgument, $"Offer '{offerId}' is named twice");
                }

                if (!state.Offers.TryGetValue(offerId, out var offer))
                {
                    return Decision.Fail(DecideErrorKind.NotFound, $"Offer '{offerId}' is no longer valid (used, declined, rescinded or unknown)");
                }

                if (offer.FrameworkId != c.FrameworkId)
                {
                    return Decision.Fail(DecideErrorKind.PermissionDenied, $"Offer '{offerId}' was made to another framework");
                }

                if (offers.Count > 0 && (offers[0].AgentId != offer.AgentId || offers[0].Role != offer.Role))
                {
                    return Decision.Fail(DecideErrorKind.InvalidArgument, "All offers of one ACCEPT must be for the same agent and role");
                }

                offers.Add(offer);
            }

            var agentId = offers[0].AgentId;
            var remaining = offers.Aggregate(ResourceSet.Empty, (sum, o) => sum + o.Resources);
            var events = new List<ClusterEvent>();
            if (!c.Reservations.IsEmpty)
            {
                var applied = ReservationDecisions.ApplyToOffer(offers[0], state.Agents[offers[0].AgentId], framework.Info, c.Reservations, remaining, c.Principal, now);
                if (applied.Error is not null)
                {
                    return applied.Error;
                }

                events.AddRange(applied.Events);
                remaining = applied.Remaining;
            }

            var seen = new HashSet<TaskId>();
            var launchedExecutors = new Dictionary<ExecutorId, ExecutorInfo>();
            foreach (var requested in c.Tasks)
            {
                var task = requested.AgentId.Value is null or "" ? requested with { AgentId = agentId } : requested;
                var executor = c.Executors.GetValueOrDefault(task.TaskId);
                var error = ValidateTask(state, framework, task, agentId, seen)
                    ?? ExecutorValidation.Validate(state, framework.Id, task, executor, launchedExecutors);
                if (error is not null)
                {
                    return error;
                }

                // A new executor's own resources come out of the same offers as its first task's.
                var newExecutor = executor is not null
                    && !launchedExecutors.ContainsKey(executor.ExecutorId)
                    && !state.Executors.ContainsKey(new ExecutorKey(framework.Id, agentId, executor.ExecutorId));
                var asked = newExecutor ? task.Resources + executor!.Resources : task.Resources;

                // Resources in a task are unreserved unless the task names a role; an offer's resources carry the
                // reservation, so compare what the task asks for against what the offer holds for its role.
                if (!remaining.Contains(asked))
                {
                    return Decision.Fail(DecideErrorKind.InvalidArgument,
                        $"Task '{task.TaskId}' asks for {asked}{(newExecutor ? " (with its executor's)" : string.Empty)} but the offers hold only {remaining} (after the tasks before it in this call)");
                }

                remaining -= asked;
                if (executor is null)
                {
                    var details = c.Details?.GetValueOrDefault(task.TaskId) ?? TaskLaunchDetails.None;
                    if (ValidateDetails(task, details) is { } invalid)
                    {
                        return invalid;
                    }

                    events.Add(new TaskLaunchedV2(c.FrameworkId, task, new ExecutorId(task.TaskId.Value), offers[0].Id, details) { At = now, Principal = c.Principal });
                }
                else
                {
                    launchedExecutors[executor.ExecutorId] = executor;
                    events.Add(new TaskLaunchedOnExecutor(c.FrameworkId, task, executor, offers[0].Id) { At = now, Principal = c.Principal });
                }
            }

            if (!c.Groups.IsEmpty)
            {
                var grouped = TaskGroupDecisions.Launch(state, framework, c.Groups, agentId, offers[0].Id, remaining, seen, launchedExecutors, c.Principal, now);
                if (grouped.Error is not null)
                {
                    return grouped.Error;
                }

                events.AddRange(grouped.Events);
                remaining = grouped.Remaining;
            }

            // The launches come first: the fold moves what each one uses out of its offer, so closing the offers
            // afterwards refuses only the leftovers, and the offer is still there to give the task its role (a task
            // that lost its role would count against '*' in every share and quota).
            var refuseUntil = RefuseUntil(c.RefuseSeconds, now);
            events.AddRange(offers.Select(o => new OfferAccepted(o.Id, refuseUntil) { At = now, Principal = c.Principal }));
            return Decision.Of(events);
        });

    /// <summary>Mesos' validation of a task's health check (checks::validation::healthCheck) and URIs, with its messages.</summary>
    internal static DecideError? ValidateDetails(TaskInfo task, TaskLaunchDetails details)
    {
        if (details.Uris.Any(u => string.IsNullOrWhiteSpace(u.Value)))
        {
            return new DecideError(DecideErrorKind.InvalidArgument, $"Task '{task.TaskId}': a command URI has no value");
        }

        if (details.HealthCheck is not { } check)
        {
            return null;
        }

        string? problem = check.Type switch
        {
            HealthCheckType.Command when check.Command is null => "Expecting 'command' to be set for COMMAND health check",
            HealthCheckType.Command when string.IsNullOrEmpty(check.Command.Value) =>
                "Command health check must contain " + (check.Command.Shell ? "'shell command'" : "'executable path'"),
            HealthCheckType.Http when check.Http is null => "Expecting 'http' to be set for HTTP health check",
            HealthCheckType.Http when check.Http.Scheme is not ("" or "http" or "https") => $"Unsupported HTTP health check scheme: '{check.Http.Scheme}'",
            HealthCheckType.Http when check.Http.Path.Length > 0 && check.Http.Path[0] != '/' => $"The path '{check.Http.Path}' of HTTP health check must start with '/'",
            HealthCheckType.Tcp when check.TcpPort is null => "Expecting 'tcp' to be set for TCP health check",
            HealthCheckType.Command or HealthCheckType.Http or HealthCheckType.Tcp => null,
            _ => $"'{check.Type}' is not a valid health check type",
        };
        problem ??= check.DelaySeconds < 0 ? "Expecting 'delay_seconds' to be non-negative"
            : check.GracePeriodSeconds < 0 ? "Expecting 'grace_period_seconds' to be non-negative"
            : check.IntervalSeconds < 0 ? "Expecting 'interval_seconds' to be non-negative"
            : check.TimeoutSeconds < 0 ? "Expecting 'timeout_seconds' to be non-negative"
            : null;
        return problem is null
            ? null
            : new DecideError(DecideErrorKind.InvalidArgument, $"Task '{task.TaskId}' has an invalid health check: {problem}");
    }

    internal static DecideError? ValidateTask(ClusterState state, FrameworkState framework, TaskInfo task, AgentId agentId, HashSet<TaskId> seen)
    {
        if (string.IsNullOrWhiteSpace(task.TaskId.Value))
        {
            return new DecideError(DecideErrorKind.InvalidArgument, "A task has no task_id");
        }

        if (task.TaskId.Value.Any(ch => char.IsControl(ch) || ch == '/') || task.TaskId.Value is "." or "..")
        {
            return new DecideError(DecideErrorKind.InvalidArgument, $"Task id '{task.TaskId}' contains '/', a control character, or is '.' or '..'");
        }

        if (!seen.Add(task.TaskId) || state.Tasks.ContainsKey(new TaskKey(framework.Id, task.TaskId)))
        {
            return new DecideError(DecideErrorKind.InvalidArgument, $"Task id '{task.TaskId}' is already in use");
        }

        if (task.AgentId != agentId)
        {
            return new DecideError(DecideErrorKind.InvalidArgument, $"Task '{task.TaskId}' names agent '{task.AgentId}' but the offer is for '{agentId}'");
        }

        if (task.Resources.IsEmpty)
        {
            return new DecideError(DecideErrorKind.InvalidArgument, $"Task '{task.TaskId}' uses no resources");
        }

        if (task.Command is { } command && string.IsNullOrEmpty(command.Value) && command.Arguments.Count == 0)
        {
            return new DecideError(DecideErrorKind.InvalidArgument, $"Task '{task.TaskId}' has no command");
        }

        return null;
    }

    /// <summary>
    /// SHUTDOWN of a custom executor. Mesos' master forwards it to any agent it has registered and leaves the rest to
    /// the agent; here the executor must be one the master launched there, so a typo is reported rather than lost.
    /// </summary>
    private static Decision ShutdownExecutor(ClusterState state, ShutdownExecutor c, DateTimeOffset now)
    {
        if (!state.Agents.TryGetValue(c.AgentId, out var agent) || agent.Status is AgentStatus.Removed or AgentStatus.Unreachable)
        {
            return Decision.Fail(DecideErrorKind.NotFound, $"Cannot shut down executor '{c.ExecutorId}' of framework {c.FrameworkId}: agent {c.AgentId} is not registered");
        }

        return state.Executors.ContainsKey(new ExecutorKey(c.FrameworkId, c.AgentId, c.ExecutorId))
            ? Decision.Of(new ExecutorShutdownRequested(c.FrameworkId, c.AgentId, c.ExecutorId) { At = now, Principal = c.Principal })
            : Decision.Fail(DecideErrorKind.NotFound, $"Executor '{c.ExecutorId}' of framework {c.FrameworkId} is not running on agent {c.AgentId}");
    }

    private static Decision DeclineOffers(ClusterState state, DeclineOffers c, DateTimeOffset now) =>
        WithActiveFramework(state, c.FrameworkId, _ =>
        {
            // As in Mesos, declining an offer that is already gone (rescinded meanwhile) is not an error.
            var refuseUntil = RefuseUntil(c.RefuseSeconds, now);
            return Decision.Of(c.OfferIds
                .Distinct()
                .Where(id => state.Offers.TryGetValue(id, out var offer) && offer.FrameworkId == c.FrameworkId)
                .Select(id => new OfferDeclined(id, refuseUntil) { At = now, Principal = c.Principal }));
        });

    private static Decision KillTask(ClusterState state, KillTask c, DateTimeOffset now)
    {
        if (!state.Tasks.TryGetValue(new TaskKey(c.FrameworkId, c.TaskId), out var task))
        {
            var completed = state.Frameworks.TryGetValue(c.FrameworkId, out var framework)
                && framework.CompletedTasks.Any(t => t.Key.TaskId == c.TaskId);
            return completed
                ? Decision.None
                : Decision.Fail(DecideErrorKind.NotFound, $"Task '{c.TaskId}' of framework '{c.FrameworkId}' is not known to the master");
        }

        return task.IsTerminal
            ? Decision.None
            : Decision.Of(new TaskKillRequested(c.FrameworkId, c.TaskId, task.AgentId, c.GracePeriod ?? task.Info.KillGracePeriod) { At = now, Principal = c.Principal });
    }

    private static Decision UpdateTaskStatus(ClusterState state, UpdateTaskStatus c, DateTimeOffset now)
    {
        if (c.Status.Uuid is not { } uuid)
        {
            return Decision.Fail(DecideErrorKind.InvalidArgument, "A status update from an agent must carry a uuid");
        }

        var key = new TaskKey(c.FrameworkId, c.TaskId);
        if (!state.Tasks.TryGetValue(key, out var task))
        {
            // The agent retries an update until the acknowledgement reaches it; the task may have completed meanwhile.
            var retried = state.Frameworks.TryGetValue(c.FrameworkId, out var framework)
                && framework.CompletedTasks.Any(t => t.Key == key && t.Statuses.Any(s => s.Uuid == uuid));
            return retried
                ? Decision.Fail(DecideErrorKind.AlreadyApplied, $"Status update {uuid} for task '{c.TaskId}' was already recorded")
                : Decision.Fail(DecideErrorKind.NotFound, $"Task '{c.TaskId}' of framework '{c.FrameworkId}' is not active on this master");
        }

        if (task.AgentId != c.AgentId)
        {
            return Decision.Fail(DecideErrorKind.PermissionDenied, $"Task '{c.TaskId}' runs on agent '{task.AgentId}', not '{c.AgentId}'");
        }

        if (task.Statuses.Any(s => s.Uuid == uuid))
        {
            return Decision.Fail(DecideErrorKind.AlreadyApplied, $"Status update {uuid} for task '{c.TaskId}' was already recorded");
        }

        if (!state.Agents.TryGetValue(c.AgentId, out var agent) || agent.Status is AgentStatus.Unreachable or AgentStatus.Removed)
        {
            // As Mesos ignores updates from agents it does not count as registered: this one must re-register first.
            return Decision.Fail(DecideErrorKind.FailedPrecondition, $"Agent '{c.AgentId}' is not registered with this master; re-register before sending updates");
        }

        if (c.Status.Source == StatusSource.Master)
        {
            // The master's own updates (LOST, UNREACHABLE, reconciliation) are decided here and carry no uuid; an
            // agent claiming one would release the task's resources on an agent that is still running it.
            return Decision.Fail(DecideErrorKind.FailedPrecondition, $"An agent cannot send {Name(c.Status.State)} in the master's name");
        }

        if (!TaskStateMachine.MayComeFrom(c.Status.State, c.Status.Source))
        {
            return Decision.Fail(DecideErrorKind.FailedPrecondition, $"{Name(c.Status.State)} cannot come from {c.Status.Source}");
        }

        var sameNonTerminal = c.Status.State == task.State && !task.IsTerminal;
        if (!sameNonTerminal && !TaskStateMachine.CanTransition(task.State, c.Status.State))
        {
            return Decision.Fail(DecideErrorKind.FailedPrecondition,
                $"Task '{c.TaskId}' cannot go from {Name(task.State)} to {Name(c.Status.State)}");
        }

        if (task.ResourcesReleased && !TaskStateMachine.IsTerminal(c.Status.State) && c.Status.State != TaskState.Unreachable)
        {
            // Its resources went back to the agent and may be offered or used again; a LOST or UNREACHABLE task
            // comes back only when its agent re-registers and reports it (ReregisterAgent).
            return Decision.Fail(DecideErrorKind.FailedPrecondition,
                $"Task '{c.TaskId}' is {Name(task.State)} on this master; it can come back only with its agent's re-registration");
        }

        return Decision.Of(new TaskStatusUpdated(c.FrameworkId, c.TaskId, c.AgentId, c.Status) { At = now, Principal = c.Principal });
    }

    private static Decision AcknowledgeStatus(ClusterState state, AcknowledgeStatus c, DateTimeOffset now)
    {
        var key = new TaskKey(c.FrameworkId, c.TaskId);
        if (!state.Tasks.TryGetValue(key, out var task))
        {
            var completed = state.Frameworks.TryGetValue(c.FrameworkId, out var framework)
                && framework.CompletedTasks.Any(t => t.Key == key && t.Statuses.Any(s => s.Uuid == c.Uuid));
            return completed
                ? Decision.None
                : Decision.Fail(DecideErrorKind.NotFound, $"Task '{c.TaskId}' of framework '{c.FrameworkId}' is not known to the master");
        }

        if (task.PendingUuid == c.Uuid)
        {
            return Decision.Of(new TaskStatusAcknowledged(c.FrameworkId, c.TaskId, task.AgentId, c.Uuid) { At = now, Principal = c.Principal });
        }

        return task.Statuses.Any(s => s.Uuid == c.Uuid)
            ? Decision.None
            : Decision.Fail(DecideErrorKind.InvalidArgument, $"Task '{c.TaskId}' has no status update with uuid {c.Uuid}");
    }

    private Decision RunAllocation(ClusterState state, RunAllocation c, DateTimeOffset now)
    {
        var grants = allocator.Allocate(state, now, c.Seed);
        var events = new List<ClusterEvent>(grants.Count + 1);
        if (grants.Count > 0)
        {
            var cycle = state.AllocationCycles + 1;
            events.Add(new AllocationCycleRan(cycle, c.Seed, grants.Count) { At = now, Principal = c.Principal });
            var number = state.NextOfferNumber;
            foreach (var grant in grants)
            {
                var offerId = new OfferId(string.Create(CultureInfo.InvariantCulture, $"{state.IdPrefix}-O{number++}"));
                events.Add(new OfferMade(offerId, grant.FrameworkId, grant.AgentId, grant.Role, grant.Resources) { At = now, Principal = c.Principal });
            }
        }

        // Inverse offers follow the cycle's offers, on the state they leave (Mesos generates them in the same run).
        if (!state.Maintenance.IsEmpty)
        {
            var offered = events.Count == 0 ? state : ClusterFold.ApplyAll(state, events);
            events.AddRange(MaintenanceDecisions.InverseOffers(offered, now, c.Principal, offered.NextOfferNumber));
        }

        return Decision.Of(events);
    }

    private static Decision ExpireOffers(ClusterState state, ExpireOffers c, DateTimeOffset now) =>
        Decision.Of(state.Offers.Values
            .Where(o => now - o.MadeAt >= c.OfferTimeout)
            .Select(o => new OfferRescinded(o.Id, "offer timeout") { At = now, Principal = c.Principal }));

    private static TaskState LostOrDropped(ClusterState state, FrameworkId frameworkId) =>
        state.Frameworks.TryGetValue(frameworkId, out var framework) && framework.Info.Has(FrameworkCapability.PartitionAware)
            ? TaskState.Dropped
            : TaskState.Lost;

    public static string Name(TaskState state) => state switch
    {
        TaskState.GoneByOperator => "TASK_GONE_BY_OPERATOR",
        _ => "TASK_" + state.ToString().ToUpperInvariant(),
    };
}
