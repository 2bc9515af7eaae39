using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Mesos.Agent.ExecutorApi;
using V1 = Mesos.Protocol.V1;
using Wire = Mesos.Protocol.Wire;
using WireExecutor = Mesos.Protocol.Wire.Executor;

namespace Mesos.Tests.Api.Http;

/// <summary>
/// The JSON of every v1 executor event as the agent sends it (golden file), written as Mesos' stout does: fields in
/// number order, unset fields with a declared default written, 64-bit integers as numbers, ASCII only.
/// </summary>
public sealed class ExecutorEventJsonTests
{
    private static readonly V1.Resource Cpus = new() { Name = "cpus", Type = V1.Value.Types.Type.Scalar, Scalar = new V1.Value.Types.Scalar { Value = 0.5 } };

    private static V1.TaskInfo Task(string id) => new()
    {
        Name = id,
        TaskId = id,
        AgentId = "m-S0",
        Resources = { Cpus },
        Command = new V1.CommandInfo { Value = "./run --name " + id },
        KillPolicy = new V1.KillPolicy { GracePeriodNanoseconds = 30_000_000_000 },
    };

    private static readonly V1.ExecutorInfo Executor = new()
    {
        ExecutorId = "exec",
        FrameworkId = "m-0000",
        Name = "custom",
        Command = new V1.CommandInfo { Value = "./executor" },
        Resources = { Cpus },
    };

    private static IEnumerable<(string Name, WireExecutor.Event Event)> AllEvents()
    {
        yield return ("SUBSCRIBED", new WireExecutor.Event
        {
            Type = WireExecutor.Event.Types.Type.Subscribed,
            Subscribed = new WireExecutor.Event.Types.Subscribed
            {
                ExecutorInfo = ExecutorWire.ToWire(Executor),
                FrameworkInfo = ExecutorWire.ToWire(new V1.FrameworkInfo { Id = "m-0000", User = "root", Name = "fw", FailoverTimeout = 3600 }),
                AgentInfo = ExecutorWire.ToWire("m-S0", "agent1", 5051, [Cpus]),
                ContainerId = new Wire.ContainerID { Value = "c-1" },
            },
        });
        yield return ("LAUNCH", new WireExecutor.Event
        {
            Type = WireExecutor.Event.Types.Type.Launch,
            Launch = new WireExecutor.Event.Types.Launch { Task = ExecutorWire.ToWire(Task("t1")) },
        });
        var group = new Wire.TaskGroupInfo();
        group.Tasks.Add(ExecutorWire.ToWire(Task("t2")));
        group.Tasks.Add(ExecutorWire.ToWire(Task("t3")));
        yield return ("LAUNCH_GROUP", new WireExecutor.Event
        {
            Type = WireExecutor.Event.Types.Type.LaunchGroup,
            LaunchGroup = new WireExecutor.Event.Types.LaunchGroup { TaskGroup = group },
        });
        yield return ("KILL", new WireExecutor.Event
        {
            Type = WireExecutor.Event.Types.Type.Kill,
            Kill = new WireExecutor.Event.Types.Kill
            {
                TaskId = new Wire.TaskID { Value = "t1" },
                KillPolicy = ExecutorWire.ToWire(new V1.KillPolicy { GracePeriodNanoseconds = 5_000_000_000 }),
            },
        });
        yield return ("ACKNOWLEDGED", new WireExecutor.Event
        {
            Type = WireExecutor.Event.Types.Type.Acknowledged,
            Acknowledged = new WireExecutor.Event.Types.Acknowledged
            {
                TaskId = new Wire.TaskID { Value = "t1" },
                Uuid = ByteString.CopyFrom(Enumerable.Range(0, 16).Select(i => (byte)(i * 17)).ToArray()),
            },
        });
        yield return ("MESSAGE", new WireExecutor.Event
        {
            Type = WireExecutor.Event.Types.Type.Message,
            Message = new WireExecutor.Event.Types.Message { Data = ByteString.CopyFromUtf8("hello executor") },
        });
        yield return ("SHUTDOWN", new WireExecutor.Event { Type = WireExecutor.Event.Types.Type.Shutdown });
        yield return ("HEARTBEAT", new WireExecutor.Event { Type = WireExecutor.Event.Types.Type.Heartbeat });
        yield return ("ERROR", new WireExecutor.Event
        {
            Type = WireExecutor.Event.Types.Type.Error,
            Error = new WireExecutor.Event.Types.Error { Message = "Framework 'héllo' was removed" },
        });
    }

    [Fact]
    public void EveryEventType_MatchesTheGoldenFile()
    {
        var all = new JsonObject();
        foreach (var (name, @event) in AllEvents())
        {
            all[name] = JsonNode.Parse(ExecutorWire.Encode(@event, ExecutorWire.Json));
        }

        Assert.Equal(Enum.GetValues<WireExecutor.Event.Types.Type>().Where(t => t != WireExecutor.Event.Types.Type.Unknown).Select(ToName).Order(), all.Select(p => p.Key).Order());
        GoldenFile.Verify("executor-events", all.ToJsonString());
    }

    [Fact]
    public void Kill_WritesItsGracePeriodAsANumber_AsMesosDoes()
    {
        var kill = AllEvents().Single(e => e.Name == "KILL").Event;

        Assert.Equal(
            """{"type":"KILL","kill":{"task_id":{"value":"t1"},"kill_policy":{"grace_period":{"nanoseconds":5000000000}}}}""",
            Encoding.ASCII.GetString(ExecutorWire.Encode(kill, ExecutorWire.Json)));
    }

    [Fact]
    public void Error_EscapesWhatIsNotAscii()
    {
        var error = AllEvents().Single(e => e.Name == "ERROR").Event;
        var bytes = ExecutorWire.Encode(error, ExecutorWire.Json);

        Assert.All(bytes, b => Assert.True(b < 0x80));
        Assert.Equal("""{"type":"ERROR","error":{"message":"Framework 'h\u00e9llo' was removed"}}""", Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public void EveryEventType_InProtobuf_ReadsBackAsTheSameEvent()
    {
        foreach (var (name, @event) in AllEvents())
        {
            Assert.True(@event.Equals(WireExecutor.Event.Parser.ParseFrom(ExecutorWire.Encode(@event, ExecutorWire.Protobuf))), name);
        }
    }

    private static string ToName(WireExecutor.Event.Types.Type type) =>
        WireExecutor.Event.Descriptor.EnumTypes.Single(e => e.Name == "Type").FindValueByNumber((int)type).Name;
}
