using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mesos.Core.Tasks;

namespace Mesos.Core.State;

/// <summary>
/// A stable content hash of the folded state: SHA-256 over a canonical text form that visits every field in a
/// fixed order, with invariant formatting. Same events, same hash, on any machine and any .NET version,
/// because nothing here depends on <see cref="object.GetHashCode"/>, culture or dictionary order.
/// </summary>
public static class StateHash
{
    public static string Compute(ClusterState state)
    {
        var text = Canonical(state);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public static string Canonical(ClusterState state)
    {
        var w = new StringBuilder(4096);
        Field(w, "master", state.Master is null ? "-" : $"{state.Master.Id}|{state.Master.Hostname}|{state.Master.Ip}|{state.Master.Port}|{state.Master.Version}");
        Field(w, "epoch", state.MasterEpoch);
        Field(w, "next", $"{state.NextFrameworkNumber}|{state.NextAgentNumber}|{state.NextOfferNumber}|{state.AllocationCycles}");

        foreach (var a in state.Agents.Values)
        {
            Field(w, "agent", $"{a.Id}|{a.Info.Hostname}|{a.Info.Port}|{a.Info.Resources}|{a.Info.Attributes}|{a.Status}|{Time(a.RegisteredAt)}|{Time(a.ReregisteredAt)}|{Time(a.LastSeen)}|{a.Used}|{a.Offered}{(a.Deactivated ? "|deactivated" : string.Empty)}{Drain(a.Drain)}");
        }

        foreach (var f in state.Frameworks.Values)
        {
            WriteFramework(w, "framework", f);
        }

        foreach (var f in state.CompletedFrameworks)
        {
            WriteFramework(w, "completed_framework", f);
        }

        foreach (var o in state.Offers.Values)
        {
            Field(w, "offer", $"{o.Id}|{o.FrameworkId}|{o.AgentId}|{o.Role}|{o.Resources}|{Time(o.MadeAt)}");
        }

        foreach (var t in state.Tasks.Values)
        {
            WriteTask(w, "task", t);
        }

        // Only custom executors are written, so that states without any hash as before.
        foreach (var e in state.Executors.Values)
        {
            var i = e.Info;
            // A DEFAULT executor is marked; custom ones hash as they did before task groups.
            Field(w, "executor", $"{e.Key}|{e.Role}|{i.Name}|{i.Resources}|{Command(i.Command)}|{i.ShutdownGracePeriod?.Ticks}{(e.Type == ExecutorType.Default ? "|default" : string.Empty)}");
        }

        // Only roles the operator configured are written, so that states without any hash as before.
        foreach (var (role, r) in state.Roles)
        {
            Field(w, "role", $"{role}|{Number(r.Weight)}|{r.Guarantees}|{r.Limits}");
        }

        // Only agents with a recorded IP and maintenance that was ever set are written, so that states without hash as before.
        foreach (var a in state.Agents.Values.Where(a => a.Ip is not null))
        {
            Field(w, "agent_ip", $"{a.Id}|{a.Ip}");
        }

        WriteMaintenance(w, state.Maintenance);

        // Only a minimum other than the default is written, so that states without one hash as before.
        if (!string.Equals(state.MinAllocatableResources, Allocation.MinimumAllocatable.DefaultText, StringComparison.Ordinal))
        {
            Field(w, "min_allocatable_resources", state.MinAllocatableResources);
        }

        return w.ToString();
    }

    private static void WriteMaintenance(StringBuilder w, MaintenanceState m)
    {
        foreach (var window in m.Schedule)
        {
            Field(w, "window", $"{string.Join(",", window.Machines.Select(x => x.Hostname + "/" + x.Ip))}|{Unavailability(window.Unavailability)}");
        }

        foreach (var machine in m.Machines.Values)
        {
            Field(w, "machine", $"{machine.Id.Hostname}|{machine.Id.Ip}|{machine.Mode}|{Unavailability(machine.Unavailability)}");
        }

        foreach (var i in m.InverseOffers.Values)
        {
            Field(w, "inverse_offer", $"{i.Id}|{i.FrameworkId}|{i.AgentId}|{Unavailability(i.Unavailability)}|{Time(i.MadeAt)}");
        }

        foreach (var (agentId, answers) in m.Answers)
        {
            foreach (var a in answers.Values)
            {
                Field(w, "inverse_offer_status", $"{agentId}|{a.FrameworkId}|{a.Answer}|{Time(a.At)}|{Time(a.RefuseUntil)}");
            }
        }
    }

    private static string Unavailability(Maintenance.Unavailability u) =>
        $"{u.StartNanoseconds.ToString(CultureInfo.InvariantCulture)}+{u.DurationNanoseconds?.ToString(CultureInfo.InvariantCulture) ?? "-"}";

    private static void WriteFramework(StringBuilder w, string label, FrameworkState f)
    {
        var i = f.Info;
        Field(w, label, $"{f.Id}|{i.Name}|{i.User}|{string.Join(",", i.Roles)}|{Number(i.FailoverTimeoutSeconds)}|{i.Checkpoint}|{i.Principal}|{i.Hostname}|{i.WebUiUrl}|{string.Join(",", i.Capabilities)}|{f.Status}|{Time(f.RegisteredAt)}|{Time(f.ReregisteredAt)}|{Time(f.DisconnectedAt)}|{string.Join(",", f.SuppressedRoles)}");
        foreach (var (agentId, used) in f.UsedOn)
        {
            Field(w, "used", $"{agentId}|{used}");
        }

        foreach (var (agentId, offered) in f.OfferedOn)
        {
            Field(w, "offered", $"{agentId}|{offered}");
        }

        foreach (var (agentId, filter) in f.Filters)
        {
            Field(w, "filter", $"{agentId}|{filter.Refused}|{Time(filter.Until)}");
        }

        foreach (var t in f.CompletedTasks)
        {
            WriteTask(w, "completed_task", t);
        }
    }

    private static void WriteTask(StringBuilder w, string label, TaskRecord t)
    {
        Field(w, label, $"{t.Key}|{t.Info.Name}|{t.AgentId}|{t.Info.Resources}|{(t.Info.Command is { } c ? Command(c) : "-")}|{t.Info.KillGracePeriod?.Ticks}|{t.ExecutorId}|{t.Role}|{t.State}|{t.PendingUuid}|{Time(t.LaunchedAt)}|{t.ResourcesReleased}|{t.KillRequested}");
        foreach (var s in t.Statuses)
        {
            WriteStatus(w, s);
        }
    }

    private static string Command(CommandInfo c) =>
        $"{c.Value}|{c.Shell}|{string.Join("\u001f", c.Arguments)}|{string.Join("\u001f", c.Environment.Select(v => v.Name + "=" + v.Value))}|{c.User}";

    private static void WriteStatus(StringBuilder w, TaskStatus s) =>
        Field(w, "status", $"{s.State}|{s.Reason}|{s.Message}|{s.Source}|{s.Uuid}|{Time(s.Timestamp)}|{s.Healthy}");

    private static void Field(StringBuilder w, string label, object value)
    {
        // Length-prefixed so that no value, whatever it contains, can be mistaken for a separator.
        var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        w.Append(label).Append(':').Append(text.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(text).Append('\n');
    }

    /// <summary>Nothing for an agent never drained, so that states without drains hash as before.</summary>
    private static string Drain(Agents.AgentDrain? d) =>
        d is null ? string.Empty : $"|drain:{d.State}|{d.MaxGracePeriodNanoseconds}|{d.MarkGone}|{Time(d.StartedAt)}";

    private static string Time(DateTimeOffset? at) => at is { } t ? t.UtcTicks.ToString(CultureInfo.InvariantCulture) : "-";

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
