using System.Collections.Immutable;
using Mesos.Core.Collections;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.Maintenance;

namespace Mesos.Core.State;

/// <summary>The fold's cases for maintenance: the schedule, machine modes, inverse offers and their answers.</summary>
internal static class MaintenanceFold
{
    public static ClusterState Apply(ClusterState state, MaintenanceScheduleUpdated e)
    {
        var maintenance = state.Maintenance;
        var updated = new Dictionary<MachineId, Unavailability>();
        foreach (var window in e.Windows)
        {
            foreach (var machine in window.Machines)
            {
                updated[machine] = window.Unavailability;
            }
        }

        var machines = ImmutableSortedDictionary.CreateBuilder<MachineId, MachineState>();
        foreach (var (id, unavailability) in updated)
        {
            // A DOWN machine stays down with its new unavailability; every other scheduled machine is draining.
            var mode = maintenance.Machines.TryGetValue(id, out var known) && known.Mode == MachineMode.Down ? MachineMode.Down : MachineMode.Draining;
            machines[id] = new MachineState(known?.Id ?? id, mode, unavailability);
        }

        // As Mesos' updateUnavailability, for every machine the update touches (scheduled before or now): offers and
        // inverse offers of its agents are void, and what their frameworks answered is forgotten, so that the next
        // offers carry the new unavailability and frameworks are asked again.
        var touched = maintenance.Machines.Keys.Concat(updated.Keys).ToHashSet();
        state = state with { Maintenance = maintenance with { Schedule = e.Windows, Machines = machines.ToImmutable() } };
        foreach (var agent in state.Agents.Values.Where(a => touched.Contains(a.Machine)).ToList())
        {
            state = ForgetAgent(ClusterFold.RescindOffersOnAgent(state, agent.Id), agent.Id);
        }

        return state;
    }

    public static ClusterState Apply(ClusterState state, MachinesDown e)
    {
        var machines = state.Maintenance.Machines;
        foreach (var id in e.Machines)
        {
            if (machines.TryGetValue(id, out var machine))
            {
                machines = machines.SetItem(id, machine with { Mode = MachineMode.Down });
            }
        }

        state = state with { Maintenance = state.Maintenance with { Machines = machines } };
        var down = e.Machines.ToHashSet();
        foreach (var agent in state.Agents.Values.Where(a => down.Contains(a.Machine)).ToList())
        {
            state = ForgetAgent(state, agent.Id);
        }

        return state;
    }

    public static ClusterState Apply(ClusterState state, MachinesUp e)
    {
        var up = e.Machines.ToHashSet();
        var windows = new List<MaintenanceWindow>();
        foreach (var window in state.Maintenance.Schedule)
        {
            var left = window.Machines.Where(m => !up.Contains(m)).ToList();
            if (left.Count > 0)
            {
                windows.Add(left.Count == window.Machines.Count ? window : window with { Machines = ValueArray.From(left) });
            }
        }

        return state with
        {
            Maintenance = state.Maintenance with
            {
                Machines = state.Maintenance.Machines.RemoveRange(e.Machines),
                Schedule = ValueArray.From(windows),
            },
        };
    }

    public static ClusterState Apply(ClusterState state, InverseOfferMade e)
    {
        var inverse = new InverseOfferState(e.InverseOfferId, e.FrameworkId, e.AgentId, e.Unavailability, e.At);
        return state with
        {
            NextOfferNumber = state.NextOfferNumber + 1,
            Maintenance = state.Maintenance with { InverseOffers = state.Maintenance.InverseOffers.SetItem(e.InverseOfferId, inverse) },
        };
    }

    public static ClusterState Apply(ClusterState state, InverseOfferAnswered e)
    {
        var maintenance = state.Maintenance;
        if (!maintenance.InverseOffers.TryGetValue(e.InverseOfferId, out var inverse))
        {
            return state;
        }

        var answers = maintenance.Answers.TryGetValue(inverse.AgentId, out var known)
            ? known
            : ImmutableSortedDictionary<FrameworkId, InverseOfferStatus>.Empty;
        answers = answers.SetItem(inverse.FrameworkId, new InverseOfferStatus(inverse.FrameworkId, e.Answer, e.At, e.RefuseUntil));
        return state with
        {
            Maintenance = maintenance with
            {
                InverseOffers = maintenance.InverseOffers.Remove(e.InverseOfferId),
                Answers = maintenance.Answers.SetItem(inverse.AgentId, answers),
            },
        };
    }

    public static ClusterState Apply(ClusterState state, InverseOfferRescinded e) =>
        state with { Maintenance = state.Maintenance with { InverseOffers = state.Maintenance.InverseOffers.Remove(e.InverseOfferId) } };

    /// <summary>Drops the agent's inverse offers and its frameworks' answers.</summary>
    private static ClusterState ForgetAgent(ClusterState state, AgentId agentId)
    {
        var maintenance = state.Maintenance;
        var inverse = maintenance.InverseOffers.Values.Where(i => i.AgentId == agentId).Select(i => i.Id).ToList();
        if (inverse.Count == 0 && !maintenance.Answers.ContainsKey(agentId))
        {
            return state;
        }

        return state with
        {
            Maintenance = maintenance with
            {
                InverseOffers = maintenance.InverseOffers.RemoveRange(inverse),
                Answers = maintenance.Answers.Remove(agentId),
            },
        };
    }
}
