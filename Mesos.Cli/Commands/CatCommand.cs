using System.Text;
using Mesos.Client;
using Mesos.Hosting.Flags;
using Mesos.Protocol.V1;

namespace Mesos.Cli.Commands;

/// <summary>
/// <c>mesos cat TASK_ID stdout|stderr</c>: finds the task in the master's state, its sandbox in its agent's
/// <c>/state</c>, and copies the file with the agent's <c>/files/read</c>.
/// </summary>
internal sealed class CatCommand : ICliCommand
{
    private const string Usage =
        "Usage: mesos cat TASK_ID stdout|stderr [flags]\n\n" +
        "Prints a task's stdout or stderr from its sandbox on its agent (running or completed tasks).";

    private static readonly IReadOnlyList<FlagDefinition> Definitions =
    [
        CommonFlags.Master,
        FlagDefinition.String("framework", null, "Framework id of the task, when several frameworks have a task with that id"),
    ];

    public string Name => "cat";

    public string Summary => "Print a task's stdout or stderr from its sandbox";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken)
    {
        if (CommandLine.WantsHelp(args))
        {
            await console.Out.WriteAsync(FlagParser.Help(Usage, Definitions)).ConfigureAwait(false);
            return 0;
        }

        var (flags, words) = CommandLine.Parse(Definitions, args, console.Environment);
        if (words.Count != 2 || words[1] is not ("stdout" or "stderr"))
        {
            throw new FlagError("Expected a task id and stdout or stderr: mesos cat TASK_ID stdout|stderr");
        }

        var (taskId, file) = (words[0], words[1]);
        var frameworkId = flags.String("framework");
        using var connection = new MasterConnection(flags.RequiredString("master"));
        var state = await new OperatorClient(connection).GetStateAsync(0, cancellationToken).ConfigureAwait(false);
        var task = FindTask(state, taskId, frameworkId);
        var (host, port) = AgentAddress(state, task);

        using var agent = new AgentClient(host, port);
        AgentSandbox? sandbox;
        try
        {
            sandbox = await agent.FindSandboxAsync(taskId, task.FrameworkId, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new CliError($"Failed to read the state of agent {agent.Endpoint}: {e.Message}");
        }

        if (sandbox is null)
        {
            throw new CliError($"Agent {agent.Endpoint} has no sandbox for task '{taskId}' (it may have been garbage-collected)");
        }

        var path = sandbox.Directory.TrimEnd('/') + "/" + file;
        await console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (console.RawOut is { } raw)
            {
                await agent.CopyFileAsync(path, raw, cancellationToken).ConfigureAwait(false);
                await raw.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                using var buffer = new MemoryStream();
                await agent.CopyFileAsync(path, buffer, cancellationToken).ConfigureAwait(false);
                await console.Out.WriteAsync(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)).ConfigureAwait(false);
            }
        }
        catch (FileNotFoundException e)
        {
            throw new CliError(e.Message);
        }
        catch (HttpRequestException e)
        {
            throw new CliError($"Failed to read {path} from agent {agent.Endpoint}: {e.Message}");
        }

        return 0;
    }

    internal static TaskView FindTask(ClusterStateReply state, string taskId, string? frameworkId)
    {
        var matches = state.Tasks
            .Where(t => t.TaskId == taskId && (frameworkId is null || t.FrameworkId == frameworkId))
            .ToList();
        if (matches.Count == 0)
        {
            throw new CliError(frameworkId is null
                ? $"Task '{taskId}' not found"
                : $"Task '{taskId}' not found in framework '{frameworkId}'");
        }

        var frameworks = matches.Select(t => t.FrameworkId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (frameworks.Count > 1)
        {
            throw new CliError($"Task '{taskId}' exists in several frameworks ({string.Join(", ", frameworks)}): choose one with --framework=ID");
        }

        // A task id may be reused within a framework after the first task ended; the live one is the one wanted.
        return matches.FirstOrDefault(t => !TaskStates.IsTerminal(t.State)) ?? matches[^1];
    }

    private static (string Host, int Port) AgentAddress(ClusterStateReply state, TaskView task)
    {
        if (!string.IsNullOrEmpty(task.AgentHostname) && task.AgentPort > 0)
        {
            return (task.AgentHostname, task.AgentPort);
        }

        var agent = state.Agents.FirstOrDefault(a => a.Id == task.AgentId);
        return agent is not null && !string.IsNullOrEmpty(agent.Hostname) && agent.Port > 0
            ? (agent.Hostname, agent.Port)
            : throw new CliError($"Task '{task.TaskId}' has no known agent address (agent '{task.AgentId}', state {ProtoNames.Of(task.State)})");
    }
}
