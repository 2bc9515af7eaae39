using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Mesos.Core.Agents;
using Mesos.Core.Collections;
using Mesos.Core.Commands;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.Maintenance;
using Mesos.Core.State;
using Mesos.Core.Tasks;

namespace Mesos.Core.Decisions;

/// <summary>
/// Maintenance, as Mesos 1.11 does it (<c>src/master/maintenance.cpp</c>, the maintenance handlers of <c>http.cpp</c>):
/// the checks and messages of <c>maintenance::validation</c>, the DOWN / UP transitions, the refusal of agents on DOWN
/// machines, inverse offers for frameworks that hold resources on DRAINING machines, and their answers.
/// </summary>
public static class MaintenanceDecisions
{
    /// <summary>The reason a DOWN machine's agents are removed and told to shut down, as Mesos gives it.</summary>
    public const string MachineDownReason = "Operator initiated 'Machine DOWN'";

    /// <summary>What an agent on a DOWN machine is told when it tries to (re-)register.</summary>
    public const string MachineIsDown = "Machine is `DOWN`";

    public static Decision UpdateSchedule(ClusterState state, UpdateMaintenanceSchedule c, DateTimeOffset now)
    {
        var updated = new HashSet<MachineId>();
        foreach (var window in c.Windows)
        {
            if (window.Machines.IsEmpty)
            {
                return Decision.Fail(DecideErrorKind.InvalidArgument, "List of machines in the maintenance window is empty");
            }

            if (window.Unavailability.DurationNanoseconds is < 0)
            {
                return Decision.Fail(DecideErrorKind.InvalidArgument, "Unavailability 'duration' is negative");
            }

            foreach (var machine in window.Machines)
            {
                if (ValidateMachine(machine) is { } invalid)
                {
                    return Decision.Fail(DecideErrorKind.InvalidArgument, invalid);
                }

                if (!updated.Add(machine))
                {
                    return Decision.Fail(DecideErrorKind.InvalidArgument, $"Machine '{machine.DebugString()}' appears more than once in the schedule");
                }
            }
        }

        foreach (var machine in state.Maintenance.Machines.Values)
        {
            if (machine.Mode == MachineMode.Down && !updated.Contains(machine.Id))
            {
                return Decision.Fail(DecideErrorKind.InvalidArgument, $"Machine '{machine.Id.DebugString()}' is deactivated and cannot be removed from the schedule");
            }
        }

        return Decision.Of(new MaintenanceScheduleUpdated(c.Windows) { At = now, Principal = c.Principal });
    }

    /// <summary>
    /// START_MAINTENANCE: only DRAINING machines go down. Their registered agents are removed as Mesos' <c>removeSlave</c>
    /// does (every task TASK_LOST, REASON_AGENT_REMOVED) and told to shut down; then the machines are DOWN.
    /// </summary>
    public static Decision StartMaintenance(ClusterState state, StartMaintenance c, DateTimeOffset now)
    {
        if (ValidateMachines(c.Machines) is { } invalid)
        {
            return Decision.Fail(DecideErrorKind.InvalidArgument, invalid);
        }

        foreach (var machine in c.Machines)
        {
            if (!state.Maintenance.Machines.TryGetValue(machine, out var known))
            {
                return Decision.Fail(DecideErrorKind.InvalidArgument, $"Machine '{Json(machine)}' is not part of a maintenance schedule");
            }

            if (known.Mode != MachineMode.Draining)
            {
                return Decision.Fail(DecideErrorKind.InvalidArgument, $"Machine '{Json(machine)}' is not in DRAINING mode and cannot be brought down");
            }
        }

        var down = c.Machines.ToHashSet();
        var events = new List<ClusterEvent>();
        foreach (var agent in state.Agents.Values.Where(a => a.Status is AgentStatus.Active or AgentStatus.Disconnected && down.Contains(a.Machine)))
        {
            foreach (var task in state.TasksOn(agent.Id).Where(t => !t.IsTerminal))
            {
                events.Add(new TaskStatusUpdated(task.Key.FrameworkId, task.Key.TaskId, agent.Id, new TaskStatus(
                    TaskState.Lost, TaskReason.AgentRemoved, $"Slave {agent.Info.Hostname} removed: {MachineDownReason}", StatusSource.Master, null, now))
                { At = now, Principal = c.Principal });
            }

            events.Add(new AgentRemoved(agent.Id, MachineDownReason) { At = now, Principal = c.Principal });
        }

        events.Add(new MachinesDown(c.Machines) { At = now, Principal = c.Principal });
        return Decision.Of(events);
    }

    /// <summary>STOP_MAINTENANCE: only DOWN machines come up; they leave the schedule.</summary>
    public static Decision StopMaintenance(ClusterState state, StopMaintenance c, DateTimeOffset now)
    {
        if (ValidateMachines(c.Machines) is { } invalid)
        {
            return Decision.Fail(DecideErrorKind.InvalidArgument, invalid);
        }

        foreach (var machine in c.Machines)
        {
            if (!state.Maintenance.Machines.TryGetValue(machine, out var known))
            {
                return Decision.Fail(DecideErrorKind.InvalidArgument, $"Machine '{Json(machine)}' is not part of a maintenance schedule");
            }

            if (known.Mode != MachineMode.Down)
            {
                return Decision.Fail(DecideErrorKind.InvalidArgument, $"Machine '{Json(machine)}' is not in DOWN mode and cannot be brought up");
            }
        }

        return Decision.Of(new MachinesUp(c.Machines) { At = now, Principal = c.Principal });
    }

    /// <summary>
    /// An agent (re-)registering: refused while its machine is DOWN, as Mesos refuses it; otherwise what
    /// <paramref name="admitted"/> decided, followed by the agent's IP when the log does not hold it yet.
    /// </summary>
    public static Decision Admit(ClusterState state, AgentInfo info, string? ip, DateTimeOffset now, string principal, Func<Decision> admitted)
    {
        if (state.Maintenance.ModeOf(new MachineId(info.Hostname, ip ?? string.Empty)) == MachineMode.Down)
        {
            return Decision.Fail(DecideErrorKind.FailedPrecondition, MachineIsDown);
        }

        var decision = admitted();
        if (decision.IsError || string.IsNullOrEmpty(ip) || decision.Events.IsEmpty)
        {
            return decision;
        }

        var agentId = decision.Events[0] switch
        {
            AgentRegistered e => e.AgentId,
            AgentReregistered e => e.AgentId,
            _ => (AgentId?)null,
        };
        if (agentId is not { } id || (state.Agents.TryGetValue(id, out var known) && known.Ip == ip))
        {
            return decision;
        }

        return Decision.Of(decision.Events.Add(new AgentAddressRecorded(id, ip) { At = now, Principal = principal }));
    }

    /// <summary>
    /// ACCEPT_INVERSE_OFFERS / DECLINE_INVERSE_OFFERS. As Mesos: an accept naming any inverse offer that is not this
    /// framework's outstanding one is ignored whole (an error the edge logs), a decline skips the ids it does not know.
    /// </summary>
    public static Decision Answer(ClusterState state, AnswerInverseOffers c, DateTimeOffset now)
    {
        if (!state.Frameworks.TryGetValue(c.FrameworkId, out var framework) || framework.Status != Frameworks.FrameworkStatus.Active)
        {
            return Decision.Fail(DecideErrorKind.FailedPrecondition, $"Framework '{c.FrameworkId}' is not subscribed");
        }

        var valid = new List<InverseOfferState>();
        foreach (var id in c.InverseOfferIds.Distinct())
        {
            if (state.Maintenance.InverseOffers.TryGetValue(id, out var inverse) && inverse.FrameworkId == c.FrameworkId)
            {
                valid.Add(inverse);
            }
            else if (c.Answer == InverseOfferAnswer.Accept)
            {
                return Decision.Fail(DecideErrorKind.NotFound, $"Inverse offer {id} is no longer valid");
            }
        }

        var seconds = c.RefuseSeconds ?? ClusterDecider.DefaultRefuseSeconds;
        DateTimeOffset? until = double.IsFinite(seconds) && seconds > 0
            ? now + TimeSpan.FromSeconds(Math.Min(seconds, ClusterDecider.MaxRefuseSeconds))
            : null;
        return Decision.Of(valid.Select(v => new InverseOfferAnswered(v.Id, c.Answer, until) { At = now, Principal = c.Principal }));
    }

    /// <summary>
    /// The inverse offers an allocation cycle makes, on the state after its offers (Mesos' <c>generateInverseOffers</c>):
    /// one per active framework that is offered or uses resources on an active agent of a DRAINING machine, unless it
    /// has one outstanding for that agent or answered within its refusal. Outstanding ones that no longer apply are
    /// rescinded first. Ids continue the offers' sequence from <paramref name="nextOfferNumber"/>.
    /// </summary>
    public static IReadOnlyList<ClusterEvent> InverseOffers(ClusterState state, DateTimeOffset now, string principal, long nextOfferNumber)
    {
        var events = new List<ClusterEvent>();
        var maintenance = state.Maintenance;
        foreach (var inverse in maintenance.InverseOffers.Values)
        {
            var stale = !state.Frameworks.TryGetValue(inverse.FrameworkId, out var framework) || framework.Status != Frameworks.FrameworkStatus.Active
                ? "Framework is not active"
                : !state.Agents.TryGetValue(inverse.AgentId, out var agent) || agent.Status != AgentStatus.Active
                    ? "Agent is not active"
                    : maintenance.ModeOf(agent.Machine) != MachineMode.Draining
                        ? "Machine is not draining"
                        : null;
            if (stale is not null)
            {
                events.Add(new InverseOfferRescinded(inverse.Id, stale) { At = now, Principal = principal });
            }
        }

        if (maintenance.Machines.IsEmpty)
        {
            return events;
        }

        var outstanding = maintenance.InverseOffers.Values
            .Where(i => !events.OfType<InverseOfferRescinded>().Any(r => r.InverseOfferId == i.Id))
            .Select(i => (i.AgentId, i.FrameworkId))
            .ToHashSet();
        var number = nextOfferNumber;
        foreach (var agent in state.Agents.Values.Where(a => a.Status == AgentStatus.Active))
        {
            if (!maintenance.Machines.TryGetValue(agent.Machine, out var machine) || machine.Mode != MachineMode.Draining)
            {
                continue;
            }

            foreach (var framework in state.Frameworks.Values.Where(f => f.Status == Frameworks.FrameworkStatus.Active
                && (f.UsedOn.ContainsKey(agent.Id) || f.OfferedOn.ContainsKey(agent.Id))))
            {
                if (outstanding.Contains((agent.Id, framework.Id)))
                {
                    continue;
                }

                if (maintenance.Answers.TryGetValue(agent.Id, out var answers) && answers.TryGetValue(framework.Id, out var answer)
                    && answer.RefuseUntil is { } until && until > now)
                {
                    continue;
                }

                var id = new OfferId(string.Create(CultureInfo.InvariantCulture, $"{state.IdPrefix}-O{number++}"));
                events.Add(new InverseOfferMade(id, framework.Id, agent.Id, machine.Unavailability) { At = now, Principal = principal });
            }
        }

        return events;
    }

    private static string? ValidateMachines(ValueArray<MachineId> machines)
    {
        if (machines.IsEmpty)
        {
            return "List of machines is empty";
        }

        var unique = new HashSet<MachineId>();
        foreach (var machine in machines)
        {
            if (ValidateMachine(machine) is { } invalid)
            {
                return invalid;
            }

            if (!unique.Add(machine))
            {
                return $"Machine '{machine.DebugString()}' appears more than once in the schedule";
            }
        }

        return null;
    }

    private static string? ValidateMachine(MachineId machine)
    {
        if (machine.Hostname.Length == 0 && machine.Ip.Length == 0)
        {
            return "Both 'hostname' and 'ip' for a machine are empty";
        }

        // stout's net::IP::parse(ip, AF_INET): dotted IPv4 only.
        if (machine.Ip.Length > 0 && !(IPAddress.TryParse(machine.Ip, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork && machine.Ip.Count(ch => ch == '.') == 3))
        {
            return "Failed to parse IPv4: " + machine.Ip;
        }

        return null;
    }

    /// <summary>The machine id as Mesos writes it in START/STOP_MAINTENANCE errors (<c>stringify(JSON::protobuf(id))</c>).</summary>
    private static string Json(MachineId machine)
    {
        var fields = new List<string>();
        if (machine.Hostname.Length > 0)
        {
            fields.Add($"\"hostname\":{Quote(machine.Hostname)}");
        }

        if (machine.Ip.Length > 0)
        {
            fields.Add($"\"ip\":{Quote(machine.Ip)}");
        }

        return "{" + string.Join(",", fields) + "}";
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
