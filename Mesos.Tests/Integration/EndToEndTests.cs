using System.Net.Http.Json;
using System.Text.Json;
using Mesos.Agent;
using Mesos.Protocol.V1;

namespace Mesos.Tests.Integration;

/// <summary>A master and a real agent over sockets on 127.0.0.1, running real shell commands.</summary>
public sealed class EndToEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    internal static Task<AgentRuntime> StartAgentAsync(int masterPort, string? workDir = null, string resources = TestAgent.DefaultResources) =>
        TestAgent.StartAsync(masterPort, workDir, resources);

    [Fact]
    public async Task EchoHello_FinishesAndItsStdoutHoldsHello()
    {
        using var cts = new CancellationTokenSource(Patience);
        await using var master = await TestMaster.StartAsync();
        await using var agent = await StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(cts.Token);
        await using var framework = await TestFramework.SubscribeAsync(master, "e2e", cts.Token);

        await framework.LaunchAsync("hello", "echo hello", cts.Token);
        var updates = await framework.UpdatesUntilTerminalAsync("hello", cts.Token);

        Assert.Contains(updates, u => u.State == TaskState.TaskRunning);
        Assert.Equal(TaskState.TaskFinished, updates[^1].State);
        Assert.All(updates, u => Assert.Equal(16, u.Uuid.Length));
        Assert.Equal("hello\n", await ReadSandboxFileAsync(agent.HttpPort, "hello", "stdout", cts.Token));
    }

    [Fact]
    public async Task Exit3_FailsWithTheExitCodeInTheMessage()
    {
        using var cts = new CancellationTokenSource(Patience);
        await using var master = await TestMaster.StartAsync();
        await using var agent = await StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(cts.Token);
        await using var framework = await TestFramework.SubscribeAsync(master, "e2e", cts.Token);

        await framework.LaunchAsync("three", "exit 3", cts.Token);
        var last = (await framework.UpdatesUntilTerminalAsync("three", cts.Token))[^1];

        Assert.Equal(TaskState.TaskFailed, last.State);
        Assert.Contains("3", last.Message);
    }

    [Fact]
    public async Task KillingASleepingTask_ReportsKilled_AndLeavesNoProcess()
    {
        using var cts = new CancellationTokenSource(Patience);
        await using var master = await TestMaster.StartAsync();
        await using var agent = await StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(cts.Token);
        await using var framework = await TestFramework.SubscribeAsync(master, "e2e", cts.Token);
        var marker = $"sleep 1000{Random.Shared.Next(100, 999)}";

        await framework.LaunchAsync("sleeper", $"{marker} & {marker}", cts.Token);
        while ((await framework.NextUpdateAsync("sleeper", cts.Token)).State != TaskState.TaskRunning)
        {
        }

        Assert.NotEmpty(ProcessesRunning(marker));
        await framework.KillAsync("sleeper", cts.Token);
        var last = (await framework.UpdatesUntilTerminalAsync("sleeper", cts.Token))[^1];

        Assert.Equal(TaskState.TaskKilled, last.State);
        Assert.Empty(ProcessesRunning(marker));
    }

    [Fact]
    public async Task FiftyTasksInSequence_AndFiftyAtOnce_AllFinish()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var master = await TestMaster.StartAsync();
        await using var agent = await StartAgentAsync(master.Port, resources: "cpus:8;mem:8192");
        await agent.WaitForRegistrationAsync(cts.Token);
        await using var framework = await TestFramework.SubscribeAsync(master, "fifty", cts.Token);

        for (var i = 0; i < 50; i++)
        {
            await framework.LaunchAsync($"seq-{i}", "true", cts.Token);
            Assert.Equal(TaskState.TaskFinished, (await framework.UpdatesUntilTerminalAsync($"seq-{i}", cts.Token))[^1].State);
        }

        // Finished tasks come back as separate small offers; gather offers until together they hold 50 tasks.
        var accept = new AcceptRequest { Context = framework.Context };
        double cpus = 0, mem = 0;
        while (cpus < 5 || mem < 1600)
        {
            var offer = await framework.NextOfferAsync(cts.Token);
            accept.OfferIds.Add(offer.Id);
            cpus += offer.Resources.Where(r => r.Name == "cpus").Sum(r => r.Scalar.Value);
            mem += offer.Resources.Where(r => r.Name == "mem").Sum(r => r.Scalar.Value);
        }

        for (var i = 0; i < 50; i++)
        {
            var task = new TaskInfo { TaskId = $"par-{i}", Name = $"par-{i}", Command = new CommandInfo { Value = "true" } };
            task.Resources.AddRange(MasterProtocolTests.Resources("cpus", 0.1).Concat(MasterProtocolTests.Resources("mem", 32)));
            accept.Launch.Add(task);
        }

        await new Scheduler.SchedulerClient(master.Channel).AcceptAsync(accept, cancellationToken: cts.Token);
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => framework.UpdatesUntilTerminalAsync($"par-{i}", cts.Token)));
        Assert.All(results, updates => Assert.Equal(TaskState.TaskFinished, updates[^1].State));
    }

    internal static List<int> ProcessesRunning(string commandLineFragment) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => (Pid: int.TryParse(Path.GetFileName(d), out var pid) ? pid : -1, Dir: d))
            .Where(p => p.Pid > 0)
            .Where(p =>
            {
                try
                {
                    return File.ReadAllText(Path.Combine(p.Dir, "cmdline")).Replace('\0', ' ').Contains(commandLineFragment, StringComparison.Ordinal);
                }
                catch (IOException)
                {
                    return false;
                }
                catch (UnauthorizedAccessException)
                {
                    return false;
                }
            })
            .Select(p => p.Pid)
            .ToList();

    /// <summary>Reads a sandbox file the way `mesos cat` does: agent /state for the directory, then /files/read.</summary>
    internal static async Task<string> ReadSandboxFileAsync(int agentPort, string taskId, string file, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{agentPort}") };
        using var state = JsonDocument.Parse(await http.GetStringAsync("/state", ct));
        var directory = state.RootElement.GetProperty("frameworks").EnumerateArray()
            .Concat(state.RootElement.TryGetProperty("completed_frameworks", out var completed) ? completed.EnumerateArray() : [])
            .SelectMany(f => f.GetProperty("executors").EnumerateArray()
                .Concat(f.TryGetProperty("completed_executors", out var done) ? done.EnumerateArray() : []))
            .First(e => e.GetProperty("id").GetString() == taskId)
            .GetProperty("directory").GetString();
        var read = await http.GetFromJsonAsync<JsonElement>($"/files/read?path={Uri.EscapeDataString(directory + "/" + file)}&offset=0&length=65536", ct);
        return read.GetProperty("data").GetString()!;
    }
}
