using System.Text;
using System.Text.Json.Nodes;
using Mesos.Protocol.V1;
using Mesos.Tests.Client.Fakes;

namespace Mesos.Tests.Cli;

public sealed class CatCommandTests
{
    private static async Task<(FakeMaster Master, FakeAgent Agent)> ClusterAsync()
    {
        var master = await FakeMaster.StartAsync();
        var agent = await FakeAgent.StartAsync();
        master.Operator.State = new ClusterStateReply
        {
            Agents = { new AgentView { Id = "S0", Hostname = "127.0.0.1", Port = agent.Port } },
            Tasks =
            {
                new TaskView { FrameworkId = "fw-1", TaskId = "hello-1", AgentId = "S0", AgentHostname = "127.0.0.1", AgentPort = agent.Port, State = TaskState.TaskFinished },
                new TaskView { FrameworkId = "fw-1", TaskId = "web-1", AgentId = "S0", State = TaskState.TaskRunning },
                new TaskView { FrameworkId = "fw-1", TaskId = "twin", AgentId = "S0", State = TaskState.TaskRunning },
                new TaskView { FrameworkId = "fw-2", TaskId = "twin", AgentId = "S0", State = TaskState.TaskRunning },
            },
        };
        agent.State = JsonNode.Parse("""
            {
              "frameworks": [ { "id": "fw-1", "executors": [
                { "id": "web-1", "directory": "/work/sandboxes/web-1", "tasks": [ { "id": "web-1" } ] } ],
                "completed_executors": [
                { "id": "hello-1", "directory": "/work/sandboxes/hello-1/", "completed_tasks": [ { "id": "hello-1" } ] } ] } ]
            }
            """)!.AsObject();
        agent.Files["/work/sandboxes/hello-1/stdout"] = Encoding.UTF8.GetBytes("hello\nfrom a task that wrote more than one chunk\n");
        agent.Files["/work/sandboxes/hello-1/stderr"] = [];
        agent.Files["/work/sandboxes/web-1/stdout"] = Encoding.UTF8.GetBytes("listening on :8080\n");
        return (master, agent);
    }

    [Theory]
    [InlineData("hello-1", "stdout", "hello\nfrom a task that wrote more than one chunk\n")]
    [InlineData("hello-1", "stderr", "")]
    [InlineData("web-1", "stdout", "listening on :8080\n")]
    public async Task KnownTask_PrintsTheFile(string taskId, string file, string expected)
    {
        var (master, agent) = await ClusterAsync();
        await using (master)
        await using (agent)
        {
            var (exitCode, stdout, stderr) = await CliRunner.RunAsync(["cat", taskId, file, "--master", master.Address]);

            Assert.Equal("", stderr);
            Assert.Equal(0, exitCode);
            Assert.Equal(expected, stdout);
        }
    }

    [Fact]
    public async Task RawOutput_GetsTheBytes()
    {
        var (master, agent) = await ClusterAsync();
        await using (master)
        await using (agent)
        {
            using var raw = new MemoryStream();
            var console = new Mesos.Cli.CliConsole(new StringWriter(), new StringWriter(), raw, new System.Collections.Hashtable());

            var exitCode = await Mesos.Cli.CliApp.RunAsync(["cat", "web-1", "stdout", $"--master={master.Address}"], console, CancellationToken.None);

            Assert.Equal(0, exitCode);
            Assert.Equal("listening on :8080\n", Encoding.UTF8.GetString(raw.ToArray()));
        }
    }

    [Theory]
    [InlineData(new[] { "cat", "nope", "stdout" }, "Task 'nope' not found")]
    [InlineData(new[] { "cat", "web-1", "stdout", "--framework=fw-2" }, "Task 'web-1' not found in framework 'fw-2'")]
    [InlineData(new[] { "cat", "twin", "stdout" }, "Task 'twin' exists in several frameworks (fw-1, fw-2): choose one with --framework=ID")]
    [InlineData(new[] { "cat", "twin", "stdout", "--framework", "fw-2" }, "Agent 127.0.0.1:{agent} has no sandbox for task 'twin' (it may have been garbage-collected)")]
    [InlineData(new[] { "cat", "web-1", "stderr" }, "File '/work/sandboxes/web-1/stderr' not found on agent 127.0.0.1:{agent}")]
    public async Task Failures_OneLine_Exits1(string[] args, string message)
    {
        var (master, agent) = await ClusterAsync();
        await using (master)
        await using (agent)
        {
            var (exitCode, stdout, stderr) = await CliRunner.RunAsync([.. args, "--master", master.Address]);

            Assert.Equal(1, exitCode);
            Assert.Empty(stdout);
            Assert.Equal(message.Replace("{agent}", agent.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal) + "\n", stderr);
        }
    }
}
