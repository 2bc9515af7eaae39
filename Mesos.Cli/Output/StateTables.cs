using System.Globalization;
using Mesos.Client;
using Mesos.Core.Resources;
using Mesos.Protocol.V1;

namespace Mesos.Cli.Output;

/// <summary>The tables of <c>mesos agents</c>, <c>mesos frameworks</c> and <c>mesos tasks</c>, from one GetState reply.</summary>
internal static class StateTables
{
    public static string Agents(ClusterStateReply state)
    {
        var agents = state.Agents
            .OrderBy(a => a.Hostname, StringComparer.Ordinal)
            .ThenBy(a => a.Port)
            .ThenBy(a => a.Id, StringComparer.Ordinal)
            .Select(a => (Agent: a, Total: ProtoResources.ToResourceSet(a.Total), Used: ProtoResources.ToResourceSet(a.Used)))
            .ToList();

        // GPUs only where there are any: most clusters have none and the column would be noise.
        var gpus = agents.Any(a => a.Total.Scalar("gpus").IsPositive);
        string[] headers = gpus
            ? ["ID", "ADDRESS", "STATE", "CPUS", "GPUS", "MEM (MB)", "DISK (MB)"]
            : ["ID", "ADDRESS", "STATE", "CPUS", "MEM (MB)", "DISK (MB)"];
        var table = new TextTable(headers);
        foreach (var (agent, total, used) in agents)
        {
            List<string> row = [agent.Id, Address(agent.Hostname, agent.Port), agent.State, UsedOfTotal(used, total, "cpus")];
            if (gpus)
            {
                row.Add(UsedOfTotal(used, total, "gpus"));
            }

            row.Add(UsedOfTotal(used, total, "mem"));
            row.Add(UsedOfTotal(used, total, "disk"));
            table.Add([.. row]);
        }

        return table.ToString();
    }

    public static string Frameworks(ClusterStateReply state)
    {
        var table = new TextTable("ID", "NAME", "ROLES", "STATE", "TASKS");
        foreach (var framework in state.Frameworks.OrderBy(f => f.Id, StringComparer.Ordinal))
        {
            table.Add(
                framework.Id,
                framework.Name,
                framework.Roles.Count == 0 ? "*" : string.Join(",", framework.Roles),
                framework.State,
                framework.ActiveTasks.ToString(CultureInfo.InvariantCulture));
        }

        return table.ToString();
    }

    /// <param name="all">Include tasks in a terminal state.</param>
    public static string Tasks(ClusterStateReply state, bool all)
    {
        var table = new TextTable("ID", "NAME", "FRAMEWORK", "AGENT", "STATE");
        var agents = state.Agents.GroupBy(a => a.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var tasks = state.Tasks
            .Where(t => all || !TaskStates.IsTerminal(t.State))
            .OrderBy(t => t.FrameworkId, StringComparer.Ordinal)
            .ThenBy(t => t.TaskId, StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            table.Add(task.TaskId, task.Name, task.FrameworkId, AgentOf(task, agents), ProtoNames.Of(task.State));
        }

        return table.ToString();
    }

    /// <summary>Where the task runs, as host:port; the agent id when the master knows no address.</summary>
    internal static string AgentOf(TaskView task, IReadOnlyDictionary<string, AgentView> agents)
    {
        if (!string.IsNullOrEmpty(task.AgentHostname))
        {
            return Address(task.AgentHostname, task.AgentPort);
        }

        return agents.TryGetValue(task.AgentId, out var agent) && !string.IsNullOrEmpty(agent.Hostname)
            ? Address(agent.Hostname, agent.Port)
            : task.AgentId;
    }

    private static string Address(string hostname, int port) =>
        port > 0 ? string.Create(CultureInfo.InvariantCulture, $"{hostname}:{port}") : hostname;

    private static string UsedOfTotal(ResourceSet used, ResourceSet total, string name) =>
        $"{used.Scalar(name)}/{total.Scalar(name)}";
}
