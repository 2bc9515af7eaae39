using System.Globalization;
using System.Text.Json;
using Mesos.Agent.Containerizer;
using Mesos.Protocol.V1;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Tests.Integration;

/// <summary>The agent as a real process, killed (SIGKILL) or stopped (SIGTERM) while its tasks run, then started again on the same work_dir.</summary>
public sealed class AgentRecoveryTests
{
    private const int Pairs = 5;

    [Theory]
    [InlineData(9)]
    [InlineData(15)]
    public async Task StoppedAgent_Restarted_KeepsLongTasksReportsShortOnesExactlyOnce(int signal)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        var workDir = TempDirectory.Create("agent-recovery");
        var gate = Path.Combine(TempDirectory.Create("agent-recovery-gate"), "go");
        try
        {
            await using var master = await TestMaster.StartAsync();
            await using var framework = await TestFramework.SubscribeAsync(master, "recovery", ct);
            var seen = new Dictionary<string, List<TaskStatus>>(StringComparer.Ordinal);

            string agentId;
            await using (var first = AgentProcess.Start(master.Port, workDir))
            {
                agentId = (await first.WaitForLineAsync(AgentProcess.RegisteredLine(), ct)).Groups[2].Value;
                for (var i = 0; i < Pairs; i++)
                {
                    await framework.LaunchAsync($"short-{i}", $"while [ ! -e '{gate}' ]; do sleep 0.1; done; exit {i}", ct);
                    await framework.LaunchAsync($"long-{i}", "sleep 600", ct);
                }

                foreach (var taskId in TaskIds())
                {
                    await ReadUntilAsync(framework, seen, taskId, TaskState.TaskRunning, ct);
                }

                await first.SignalAndWaitAsync(signal);
            }

            // The short tasks end while no agent is there; their supervisors record how.
            await File.WriteAllTextAsync(gate, string.Empty, ct);
            while (Directory.EnumerateFiles(Path.Combine(workDir, "meta"), "exit_status", SearchOption.AllDirectories).Count() < Pairs)
            {
                await Task.Delay(100, ct);
            }

            await using var second = AgentProcess.Start(master.Port, workDir);
            var again = await second.WaitForLineAsync(AgentProcess.RegisteredLine(), ct);
            Assert.Equal("Re-registered", again.Groups[1].Value);
            Assert.Equal(agentId, again.Groups[2].Value);

            for (var i = 0; i < Pairs; i++)
            {
                var terminal = await ReadUntilAsync(framework, seen, $"short-{i}", i == 0 ? TaskState.TaskFinished : TaskState.TaskFailed, ct);
                Assert.Equal($"Command exited with status {i}", terminal.Message);
                Assert.Equal(agentId, terminal.AgentId);
            }

            var running = await MasterTaskStatesAsync(master.Port, ct);
            for (var i = 0; i < Pairs; i++)
            {
                Assert.Equal(("TASK_RUNNING", agentId), running[$"long-{i}"]);
            }

            // Killing them goes through the new agent to the containers it re-attached to.
            // Only the long ones: a short task's run may not be forgotten yet (its acknowledgement can still be on its way).
            var groups = SupervisorGroups(workDir, "long-");
            for (var i = 0; i < Pairs; i++)
            {
                await framework.KillAsync($"long-{i}", ct);
                await ReadUntilAsync(framework, seen, $"long-{i}", TaskState.TaskKilled, ct);
            }

            Assert.Equal(Pairs, groups.Count);
            Assert.All(groups, g => Assert.Empty(ProcessTable.LiveMembersOfGroup(g.Pid)));

            // Anything still on its way (a resend) would show up now as a second uuid for one state.
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            foreach (var taskId in TaskIds())
            {
                while (framework.TryReadUpdate(taskId, out var late))
                {
                    seen[taskId].Add(late);
                }

                var states = seen[taskId].DistinctBy(s => s.Uuid).Select(s => s.State).ToList();
                var end = taskId.StartsWith("long", StringComparison.Ordinal) ? TaskState.TaskKilled
                    : taskId == "short-0" ? TaskState.TaskFinished : TaskState.TaskFailed;
                Assert.Equal([TaskState.TaskStarting, TaskState.TaskRunning, end], states);
            }
        }
        finally
        {
            foreach (var (pid, started) in SupervisorGroups(workDir))
            {
                if (ProcessTable.IsAlive(pid, started))
                {
                    PosixSignals.SignalGroup(pid, PosixSignals.SigKill);
                }
            }
        }
    }

    private static IEnumerable<string> TaskIds() =>
        Enumerable.Range(0, Pairs).SelectMany(i => new[] { $"short-{i}", $"long-{i}" });

    private static async Task<TaskStatus> ReadUntilAsync(TestFramework framework, Dictionary<string, List<TaskStatus>> seen, string taskId, TaskState state, CancellationToken ct)
    {
        if (!seen.TryGetValue(taskId, out var list))
        {
            list = [];
            seen[taskId] = list;
        }

        while (true)
        {
            var status = await framework.NextUpdateAsync(taskId, ct);
            list.Add(status);
            if (status.State == state)
            {
                return status;
            }
        }
    }

    /// <summary>The supervisors' checkpointed process groups, with their start times, so only they are ever signalled.</summary>
    private static List<(int Pid, ulong Started)> SupervisorGroups(string workDir, string executorPrefix = "")
    {
        var meta = Path.Combine(workDir, "meta");
        return !Directory.Exists(meta)
            ? []
            : Directory.EnumerateFiles(meta, "forked.pid", SearchOption.AllDirectories)
                .Where(path => path.Contains($"/executors/{executorPrefix}", StringComparison.Ordinal))
                .Select(path => File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(f => (int.Parse(f[0], CultureInfo.InvariantCulture), ulong.Parse(f[1], CultureInfo.InvariantCulture)))
                .ToList();
    }

    private static async Task<Dictionary<string, (string State, string AgentId)>> MasterTaskStatesAsync(int port, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var state = JsonDocument.Parse(await http.GetStringAsync("/state", ct));
        var tasks = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var framework in state.RootElement.GetProperty("frameworks").EnumerateArray())
        {
            foreach (var task in framework.GetProperty("tasks").EnumerateArray())
            {
                tasks[task.GetProperty("id").GetString()!] = (task.GetProperty("state").GetString()!, task.GetProperty("slave_id").GetString()!);
            }
        }

        return tasks;
    }
}
