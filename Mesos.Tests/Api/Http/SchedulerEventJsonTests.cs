using Google.Protobuf;
using Mesos.Master.Api.Http;
using Mesos.Protocol.V1;
using Attribute = Mesos.Protocol.V1.Attribute;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Tests.Api.Http;

/// <summary>
/// Golden JSON of every event the v1 scheduler stream carries, field names and order as Mesos 1.11's
/// scheduler.proto and mesos.proto (mesos-reference.md 1.3 and 1.5).
/// </summary>
public sealed class SchedulerEventJsonTests
{
    private static string Render(SchedulerEvent e) => System.Text.Encoding.ASCII.GetString(SchedulerEventJson.Render(e));

    [Fact]
    public void Subscribed()
    {
        var e = new SchedulerEvent
        {
            Subscribed = new SchedulerEvent.Types.Subscribed
            {
                FrameworkId = "m-0000",
                StreamId = "not on the wire: Mesos sends it as a header",
                HeartbeatIntervalSeconds = 15,
                MasterInfo = new MasterInfo
                {
                    Id = "m", Hostname = "master.example", Ip = "127.0.0.1", Port = 5050, Version = "1.11.0",
                    Address = new Address { Hostname = "master.example", Ip = "127.0.0.1", Port = 5050 },
                },
            },
        };

        Assert.Equal(
            """{"type":"SUBSCRIBED","subscribed":{"framework_id":{"value":"m-0000"},"heartbeat_interval_seconds":15.0,"master_info":{"id":"m","ip":16777343,"port":5050,"pid":"master@127.0.0.1:5050","hostname":"master.example","version":"1.11.0","address":{"hostname":"master.example","ip":"127.0.0.1","port":5050}}}}""",
            Render(e));
    }

    [Fact]
    public void Offers()
    {
        var offer = new Offer { Id = "m-O1", FrameworkId = "m-0000", AgentId = "m-S0", Hostname = "agent1", Ip = "10.0.0.1", Port = 5051, AllocationInfo = new AllocationInfo { Role = "*" } };
        offer.Resources.Add(new Resource { Name = "cpus", Type = Value.Types.Type.Scalar, Scalar = new Value.Types.Scalar { Value = 4 }, Role = "*", AllocationInfo = new AllocationInfo { Role = "*" } });
        offer.Resources.Add(new Resource { Name = "mem", Type = Value.Types.Type.Scalar, Scalar = new Value.Types.Scalar { Value = 1536.5 }, AllocationInfo = new AllocationInfo { Role = "*" } });
        var ports = new Value.Types.Ranges();
        ports.Range.Add(new Value.Types.Range { Begin = 31000, End = 32000 });
        offer.Resources.Add(new Resource { Name = "ports", Type = Value.Types.Type.Ranges, Ranges = ports, AllocationInfo = new AllocationInfo { Role = "*" } });
        var bugs = new Value.Types.Set();
        bugs.Item.Add("a");
        offer.Resources.Add(new Resource { Name = "bugs", Type = Value.Types.Type.Set, Set = bugs, Role = "eng", AllocationInfo = new AllocationInfo { Role = "eng" } });
        offer.Attributes.Add(new Attribute { Name = "rack", Type = Value.Types.Type.Text, Text = new Value.Types.Text { Value = "r1" } });
        offer.ExecutorIds.Add("x1");
        var e = new SchedulerEvent { Offers = new SchedulerEvent.Types.Offers() };
        e.Offers.Offers_.Add(offer);

        Assert.Equal(
            """{"type":"OFFERS","offers":{"offers":[{"id":{"value":"m-O1"},"framework_id":{"value":"m-0000"},"agent_id":{"value":"m-S0"},"hostname":"agent1","resources":[""" +
            """{"name":"cpus","type":"SCALAR","scalar":{"value":4.0},"allocation_info":{"role":"*"}},""" +
            """{"name":"mem","type":"SCALAR","scalar":{"value":1536.5},"allocation_info":{"role":"*"}},""" +
            """{"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31000,"end":32000}]},"allocation_info":{"role":"*"}},""" +
            """{"name":"bugs","type":"SET","set":{"item":["a"]},"role":"eng","allocation_info":{"role":"eng"}}],"executor_ids":[{"value":"x1"}],"attributes":""" +
            """[{"name":"rack","type":"TEXT","text":{"value":"r1"}}],"url":{"scheme":"http","address":{"hostname":"agent1","ip":"10.0.0.1","port":5051},"path":"/slave(1)"},"allocation_info":""" +
            """{"role":"*"}}]}}""",
            Render(e));
    }

    [Fact]
    public void Offers_OfAnAgentWhoseAddressTheLogNeverRecorded_HaveNoUrl()
    {
        var offer = new Offer { Id = "m-O1", FrameworkId = "m-0000", AgentId = "m-S0", Hostname = "agent1", Port = 5051, AllocationInfo = new AllocationInfo { Role = "*" } };
        var e = new SchedulerEvent { Offers = new SchedulerEvent.Types.Offers() };
        e.Offers.Offers_.Add(offer);

        Assert.Equal(
            """{"type":"OFFERS","offers":{"offers":[{"id":{"value":"m-O1"},"framework_id":{"value":"m-0000"},"agent_id":{"value":"m-S0"},"hostname":"agent1","resources":[],"allocation_info":""" +
            """{"role":"*"}}]}}""",
            Render(e));
    }

    [Fact]
    public void Rescind() =>
        Assert.Equal(
            """{"type":"RESCIND","rescind":{"offer_id":{"value":"m-O1"}}}""",
            Render(new SchedulerEvent { Rescind = new SchedulerEvent.Types.Rescind { OfferId = "m-O1" } }));

    [Fact]
    public void Update()
    {
        var status = new TaskStatus
        {
            TaskId = "hello", FrameworkId = "not on the wire", State = TaskState.TaskRunning, Message = "héllo",
            Source = TaskStatus.Types.Source.Executor, AgentId = "m-S0", ExecutorId = "hello", Timestamp = 1764095000.25,
            Uuid = ByteString.CopyFrom(Enumerable.Range(0, 16).Select(i => (byte)(i * 17)).ToArray()),
            Reason = TaskStatus.Types.Reason.Reconciliation, Healthy = true,
        };

        Assert.Equal(
            """{"type":"UPDATE","update":{"status":{"task_id":{"value":"hello"},"state":"TASK_RUNNING","message":"h\u00e9llo","agent_id":{"value":"m-S0"},"timestamp":""" +
            """1764095000.25,"executor_id":{"value":"hello"},"healthy":true,"source":"SOURCE_EXECUTOR","reason":"REASON_RECONCILIATION","uuid":""" +
            "\"ABEiM0RVZneImaq7zN3u/w==\"}}}",
            Render(new SchedulerEvent { Update = new SchedulerEvent.Types.Update { Status = status } }));
    }

    [Fact]
    public void Failure() =>
        Assert.Equal(
            """{"type":"FAILURE","failure":{"agent_id":{"value":"m-S0"}}}""",
            Render(new SchedulerEvent { Failure = new SchedulerEvent.Types.Failure { AgentId = "m-S0" } }));

    [Fact]
    public void Error() =>
        Assert.Equal(
            """{"type":"ERROR","error":{"message":"Framework failed over <now>"}}""",
            Render(new SchedulerEvent { Error = new SchedulerEvent.Types.Error { Message = "Framework failed over <now>" } }));

    [Fact]
    public void Heartbeat() =>
        Assert.Equal("""{"type":"HEARTBEAT"}""", Render(new SchedulerEvent { Heartbeat = new SchedulerEvent.Types.Heartbeat() }));

    [Theory]
    [InlineData(15.0, "15.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(1536.5, "1536.5")]
    [InlineData(1764095000.123456789, "1764095000.12346")]
    public void Doubles_AsStoutPrintsThem(double value, string expected) =>
        Assert.Equal(expected, SchedulerEventJson.FormatDouble(value));

    [Fact]
    public void Message_AndItsProtobufWithMesosFieldNumbers()
    {
        var e = new SchedulerEvent
        {
            Message = new SchedulerEvent.Types.Message { AgentId = "m-S0", ExecutorId = "x1", Data = ByteString.CopyFromUtf8("echo ping") },
        };

        var json = SchedulerEventJson.Render(e);
        Assert.Equal(
            """{"type":"MESSAGE","message":{"agent_id":{"value":"m-S0"},"executor_id":{"value":"x1"},"data":"ZWNobyBwaW5n"}}""",
            System.Text.Encoding.ASCII.GetString(json));

        // Event.type = 1 (MESSAGE = 5), Event.message = 6 {agent_id = 1, executor_id = 2, data = 3}.
        var wire = Mesos.Protocol.Wire.Scheduler.Event.Parser.ParseFrom(WireEncoding.JsonToProtobuf(Mesos.Protocol.Wire.Scheduler.Event.Descriptor, json));
        Assert.Equal(5, (int)wire.Type);
        Assert.Equal("x1", wire.Message.ExecutorId.Value);
        Assert.Equal("echo ping", wire.Message.Data.ToStringUtf8());
        Assert.Equal([0x08, 0x05, 0x32], wire.ToByteArray()[..3]);
    }

    [Fact]
    public void UpdateOperationStatus_WithoutUuidAsTheMasterSendsIt_AndItsProtobuf()
    {
        var e = new SchedulerEvent
        {
            UpdateOperationStatus = new SchedulerEvent.Types.UpdateOperationStatus
            {
                Status = new OperationStatus { OperationId = "op-1", State = OperationState.OperationError, Message = "no", AgentId = "m-S0" },
            },
        };

        var json = SchedulerEventJson.Render(e);
        Assert.Equal(
            """{"type":"UPDATE_OPERATION_STATUS","update_operation_status":{"status":{"operation_id":{"value":"op-1"},"state":"OPERATION_ERROR","message":"no","agent_id":{"value":"m-S0"}}}}""",
            System.Text.Encoding.ASCII.GetString(json));

        // Event.type = 1 (UPDATE_OPERATION_STATUS = 11), Event.update_operation_status = 11 {status = 1 {operation_id = 1, state = 2, agent_id = 6}}.
        var wire = Mesos.Protocol.Wire.Scheduler.Event.Parser.ParseFrom(WireEncoding.JsonToProtobuf(Mesos.Protocol.Wire.Scheduler.Event.Descriptor, json));
        Assert.Equal(11, (int)wire.Type);
        Assert.Equal(4, (int)wire.UpdateOperationStatus.Status.State);
        Assert.Equal("m-S0", wire.UpdateOperationStatus.Status.AgentId.Value);
        Assert.Null(wire.UpdateOperationStatus.Status.Uuid);
        Assert.Equal([0x08, 0x0B, 0x5A], wire.ToByteArray()[..3]);
    }

    [Fact]
    public void UpdateOperationStatus_WithUuid_WritesItAsMesosUuidMessage()
    {
        var e = new SchedulerEvent
        {
            UpdateOperationStatus = new SchedulerEvent.Types.UpdateOperationStatus
            {
                Status = new OperationStatus { OperationId = "op-2", State = OperationState.OperationFinished, Uuid = ByteString.CopyFrom(new byte[16]) },
            },
        };

        Assert.Equal(
            """{"type":"UPDATE_OPERATION_STATUS","update_operation_status":{"status":{"operation_id":{"value":"op-2"},"state":"OPERATION_FINISHED","uuid":{"value":"AAAAAAAAAAAAAAAAAAAAAA=="}}}}""",
            Render(e));
    }
}
