using Mesos.Cli.Output;
using Mesos.Client;
using Mesos.Core.Resources;
using Mesos.Protocol.V1;
using Mesos.Tests.Client.Fakes;
using WireResource = Mesos.Protocol.V1.Resource;

namespace Mesos.Tests.Cli;

public sealed class StateTablesTests
{
    private static ClusterStateReply State()
    {
        var state = new ClusterStateReply { Position = 17 };
        state.Agents.Add(Agent("m-S1", "node-b", 5051, "ACTIVE", "cpus:4;mem:8192;disk:20480;ports:[31000-32000]", "cpus:1.5;mem:2048"));
        state.Agents.Add(Agent("m-S0", "node-a", 5051, "ACTIVE", "cpus:2;mem:1024;disk:10240", "cpus:0.1;mem:32;disk:0"));
        state.Agents.Add(Agent("m-S2", "node-a", 5052, "UNREACHABLE", "cpus:8;mem:16384;disk:0", string.Empty));

        state.Frameworks.Add(new FrameworkView { Id = "m-0001", Name = "marathon", Roles = { "web", "batch" }, State = "ACTIVE", ActiveTasks = 12 });
        state.Frameworks.Add(new FrameworkView { Id = "m-0000", Name = "mesos-execute instance", State = "INACTIVE", ActiveTasks = 0 });

        state.Tasks.Add(TaskOf("m-0001", "web-2", "web", "m-S1", "node-b", 5051, TaskState.TaskStaging));
        state.Tasks.Add(TaskOf("m-0000", "hello-1a2b3c4d", "hello", "m-S0", "node-a", 5051, TaskState.TaskFinished));
        state.Tasks.Add(TaskOf("m-0001", "web-1", "web", "m-S1", string.Empty, 0, TaskState.TaskRunning));
        state.Tasks.Add(TaskOf("m-0001", "lost-1", "lost", "m-S9", string.Empty, 0, TaskState.TaskLost));
        return state;
    }

    [Fact]
    public void Agents_GoldenTable()
    {
        const string expected =
            "ID     ADDRESS       STATE         CPUS    MEM (MB)    DISK (MB)\n" +
            "m-S0   node-a:5051   ACTIVE        0.1/2   32/1024     0/10240\n" +
            "m-S2   node-a:5052   UNREACHABLE   0/8     0/16384     0/0\n" +
            "m-S1   node-b:5051   ACTIVE        1.5/4   2048/8192   0/20480\n";
        Assert.Equal(expected, StateTables.Agents(State()));
    }

    [Fact]
    public void Agents_WithGpus_AddsAGpuColumn()
    {
        var state = new ClusterStateReply();
        state.Agents.Add(Agent("m-S0", "gpu-1", 5051, "ACTIVE", "cpus:8;gpus:2;mem:4096;disk:100", "gpus:1"));
        const string expected =
            "ID     ADDRESS      STATE    CPUS   GPUS   MEM (MB)   DISK (MB)\n" +
            "m-S0   gpu-1:5051   ACTIVE   0/8    1/2    0/4096     0/100\n";
        Assert.Equal(expected, StateTables.Agents(state));
    }

    [Fact]
    public void Frameworks_GoldenTable()
    {
        const string expected =
            "ID       NAME                     ROLES       STATE      TASKS\n" +
            "m-0000   mesos-execute instance   *           INACTIVE   0\n" +
            "m-0001   marathon                 web,batch   ACTIVE     12\n";
        Assert.Equal(expected, StateTables.Frameworks(State()));
    }

    [Fact]
    public void Tasks_GoldenTable_ActiveOnly()
    {
        const string expected =
            "ID      NAME   FRAMEWORK   AGENT         STATE\n" +
            "web-1   web    m-0001      node-b:5051   TASK_RUNNING\n" +
            "web-2   web    m-0001      node-b:5051   TASK_STAGING\n";
        Assert.Equal(expected, StateTables.Tasks(State(), all: false));
    }

    [Fact]
    public void Tasks_GoldenTable_All()
    {
        const string expected =
            "ID               NAME    FRAMEWORK   AGENT         STATE\n" +
            "hello-1a2b3c4d   hello   m-0000      node-a:5051   TASK_FINISHED\n" +
            "lost-1           lost    m-0001      m-S9          TASK_LOST\n" +
            "web-1            web     m-0001      node-b:5051   TASK_RUNNING\n" +
            "web-2            web     m-0001      node-b:5051   TASK_STAGING\n";
        Assert.Equal(expected, StateTables.Tasks(State(), all: true));
    }

    [Fact]
    public void EmptyState_PrintsHeadersOnly()
    {
        var empty = new ClusterStateReply();
        Assert.Equal("ID   ADDRESS   STATE   CPUS   MEM (MB)   DISK (MB)\n", StateTables.Agents(empty));
        Assert.Equal("ID   NAME   ROLES   STATE   TASKS\n", StateTables.Frameworks(empty));
        Assert.Equal("ID   NAME   FRAMEWORK   AGENT   STATE\n", StateTables.Tasks(empty, all: true));
    }

    [Fact]
    public async Task TasksCommand_AgainstAMaster_PrintsTheTable()
    {
        await using var master = await FakeMaster.StartAsync();
        master.Operator.State = State();

        var (exitCode, stdout, stderr) = await CliRunner.RunAsync(["tasks", "--all", "--master", master.Address]);

        Assert.Equal(0, exitCode);
        Assert.Empty(stderr);
        Assert.Equal(StateTables.Tasks(State(), all: true), stdout);
    }

    private static AgentView Agent(string id, string hostname, int port, string state, string total, string used)
    {
        var agent = new AgentView { Id = id, Hostname = hostname, Port = port, State = state };
        agent.Total.AddRange(Wire(total));
        agent.Used.AddRange(Wire(used));
        return agent;
    }

    private static TaskView TaskOf(string frameworkId, string taskId, string name, string agentId, string hostname, int port, TaskState state) =>
        new() { FrameworkId = frameworkId, TaskId = taskId, Name = name, AgentId = agentId, AgentHostname = hostname, AgentPort = port, State = state };

    private static IEnumerable<WireResource> Wire(string text) => ProtoResources.ToWire(ResourceSet.Parse(text));
}
