using System.Net.Http.Headers;
using Google.Protobuf;
using Mesos.Protocol.Wire;
using Mesos.Protocol.Wire.Scheduler;
using Mesos.Tests.Integration;
using MasterApi = Mesos.Protocol.Wire.Master;
using Task = System.Threading.Tasks.Task;
using TaskStatus = Mesos.Protocol.Wire.TaskStatus;

namespace Mesos.Tests.Api.Http;

/// <summary>
/// The v1 scheduler and operator APIs in application/x-protobuf, as a client built on Mesos' own .proto files
/// talks to them: Content-Type and Accept both x-protobuf, RecordIO records holding serialized events.
/// </summary>
public sealed class SchedulerProtobufTests
{
    private const string ProtobufType = "application/x-protobuf";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static HttpRequestMessage Request(string path, IMessage message, string? streamId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(message.ToByteArray()) { Headers = { ContentType = new MediaTypeHeaderValue(ProtobufType) } },
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(ProtobufType));
        if (streamId is not null)
        {
            request.Headers.Add("Mesos-Stream-Id", streamId);
        }

        return request;
    }

    private static async Task<Event> NextAsync(RecordIoReader events, Func<Event, bool> match, CancellationToken ct)
    {
        while (true)
        {
            var record = await events.NextBytesAsync(ct) ?? throw new EndOfStreamException("the subscription stream ended");
            var e = Event.Parser.ParseFrom(record);
            if (match(e))
            {
                return e;
            }
        }
    }

    [Fact]
    public async Task UpdateFrameworkAndOperationFeedback_OverProtobuf_WithMesosFieldNumbers()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await EndToEndTests.StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(ct);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}"), Timeout = Timeout.InfiniteTimeSpan };
        var info = new FrameworkInfo { User = System.Environment.UserName, Name = "protobuf-ops", Roles = { "eng" } };
        info.Capabilities.Add(new FrameworkInfo.Types.Capability { Type = FrameworkInfo.Types.Capability.Types.Type.MultiRole });
        var subscribe = new Call { Type = Call.Types.Type.Subscribe, Subscribe = new Call.Types.Subscribe { FrameworkInfo = info } };
        using var subscription = await http.SendAsync(Request("/api/v1/scheduler", subscribe), HttpCompletionOption.ResponseHeadersRead, ct);
        var streamId = subscription.Headers.GetValues("Mesos-Stream-Id").Single();
        var events = new RecordIoReader(await subscription.Content.ReadAsStreamAsync(ct));
        var frameworkId = (await NextAsync(events, e => e.Type == Event.Types.Type.Subscribed, ct)).Subscribed.FrameworkId;

        async Task<int> CallAsync(Call call)
        {
            call.FrameworkId = frameworkId;
            using var response = await http.SendAsync(Request("/api/v1/scheduler", call, streamId), ct);
            return (int)response.StatusCode;
        }

        var offer = (await NextAsync(events, e => e.Type == Event.Types.Type.Offers, ct)).Offers.Offers_[0];
        var renamed = info.Clone();
        renamed.Id = frameworkId;
        renamed.Name = "protobuf-renamed";
        Assert.Equal(200, await CallAsync(new Call { Type = Call.Types.Type.UpdateFramework, UpdateFramework = new Call.Types.UpdateFramework { FrameworkInfo = renamed } }));

        var reserved = new Resource { Name = "cpus", Type = Value.Types.Type.Scalar, Scalar = new Value.Types.Scalar { Value = 1 } };
        reserved.Reservations.Add(new Resource.Types.ReservationInfo { Type = Resource.Types.ReservationInfo.Types.Type.Dynamic, Role = "eng" });
        var accept = new Call.Types.Accept { OfferIds = { offer.Id } };
        accept.Operations.Add(new Offer.Types.Operation
        {
            Type = Offer.Types.Operation.Types.Type.Reserve,
            Id = new OperationID { Value = "pb-reserve" },
            Reserve = new Offer.Types.Operation.Types.Reserve { Resources = { reserved } },
        });
        Assert.Equal(202, await CallAsync(new Call { Type = Call.Types.Type.Accept, Accept = accept }));
        var dropped = (await NextAsync(events, e => e.Type == Event.Types.Type.UpdateOperationStatus, ct)).UpdateOperationStatus.Status;
        Assert.Equal("pb-reserve", dropped.OperationId.Value);
        Assert.Equal(OperationState.OperationError, dropped.State);
        Assert.Equal(offer.AgentId, dropped.AgentId);
        Assert.Null(dropped.Uuid);

        var reconcile = new Call.Types.ReconcileOperations();
        reconcile.Operations.Add(new Call.Types.ReconcileOperations.Types.Operation { OperationId = new OperationID { Value = "pb-reserve" }, AgentId = offer.AgentId });
        Assert.Equal(202, await CallAsync(new Call { Type = Call.Types.Type.ReconcileOperations, ReconcileOperations = reconcile }));
        var answer = (await NextAsync(events, e => e.Type == Event.Types.Type.UpdateOperationStatus, ct)).UpdateOperationStatus.Status;
        Assert.Equal(OperationState.OperationUnknown, answer.State);

        var ack = new Call.Types.AcknowledgeOperationStatus { AgentId = offer.AgentId, OperationId = new OperationID { Value = "pb-reserve" }, Uuid = ByteString.CopyFrom(new byte[16]) };
        Assert.Equal(202, await CallAsync(new Call { Type = Call.Types.Type.AcknowledgeOperationStatus, AcknowledgeOperationStatus = ack }));
    }

    [Fact]
    public async Task CommandTask_OverProtobuf_SubscribeLaunchAcknowledgeReconcileTeardown()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await EndToEndTests.StartAgentAsync(master.Port);
        await agent.WaitForRegistrationAsync(ct);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}"), Timeout = Timeout.InfiniteTimeSpan };

        var subscribe = new Call
        {
            Type = Call.Types.Type.Subscribe,
            Subscribe = new Call.Types.Subscribe { FrameworkInfo = new FrameworkInfo { User = System.Environment.UserName, Name = "protobuf-e2e" } },
        };
        using var subscription = await http.SendAsync(Request("/api/v1/scheduler", subscribe), HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, subscription.StatusCode);
        Assert.Equal(ProtobufType, subscription.Content.Headers.ContentType?.MediaType);
        var streamId = subscription.Headers.GetValues("Mesos-Stream-Id").Single();
        var events = new RecordIoReader(await subscription.Content.ReadAsStreamAsync(ct));

        var subscribed = Event.Parser.ParseFrom((await events.NextBytesAsync(ct))!);
        Assert.Equal(Event.Types.Type.Subscribed, subscribed.Type);
        Assert.Equal(15.0, subscribed.Subscribed.HeartbeatIntervalSeconds);
        Assert.Equal((uint)master.Port, subscribed.Subscribed.MasterInfo.Port);
        var frameworkId = subscribed.Subscribed.FrameworkId;

        async Task<int> CallAsync(Call call)
        {
            call.FrameworkId = frameworkId;
            using var response = await http.SendAsync(Request("/api/v1/scheduler", call, streamId), ct);
            return (int)response.StatusCode;
        }

        var offer = (await NextAsync(events, e => e.Type == Event.Types.Type.Offers, ct)).Offers.Offers_[0];
        Assert.Equal("127.0.0.1", offer.Hostname);
        Assert.Equal(("http", "127.0.0.1", "/slave(1)"), (offer.Url.Scheme, offer.Url.Address.Ip, offer.Url.Path));
        Assert.True(offer.Url.Address.Port > 0);
        Assert.Contains(offer.Resources, r => r.Name == "cpus" && r.Type == Value.Types.Type.Scalar && r.Scalar.Value == 4.0);
        var task = new TaskInfo
        {
            Name = "pb",
            TaskId = new TaskID { Value = "pb" },
            AgentId = offer.AgentId,
            Command = new CommandInfo { Value = "echo protobuf" },
        };
        task.Resources.Add(new Resource { Name = "cpus", Type = Value.Types.Type.Scalar, Scalar = new Value.Types.Scalar { Value = 0.1 } });
        task.Resources.Add(new Resource { Name = "mem", Type = Value.Types.Type.Scalar, Scalar = new Value.Types.Scalar { Value = 32 } });
        var accept = new Call.Types.Accept { Filters = new Filters { RefuseSeconds = 1 } };
        accept.OfferIds.Add(offer.Id);
        accept.Operations.Add(new Offer.Types.Operation { Type = Offer.Types.Operation.Types.Type.Launch, Launch = new Offer.Types.Operation.Types.Launch { TaskInfos = { task } } });
        Assert.Equal(202, await CallAsync(new Call { Type = Call.Types.Type.Accept, Accept = accept }));

        var states = new List<TaskState>();
        while (states.LastOrDefault() != TaskState.TaskFinished)
        {
            var status = (await NextAsync(events, e => e.Type == Event.Types.Type.Update, ct)).Update.Status;
            Assert.Equal("pb", status.TaskId.Value);
            Assert.Equal(16, status.Uuid.Length);
            states.Add(status.State);
            var ack = new Call.Types.Acknowledge { AgentId = status.AgentId, TaskId = status.TaskId, Uuid = status.Uuid };
            Assert.Equal(202, await CallAsync(new Call { Type = Call.Types.Type.Acknowledge, Acknowledge = ack }));
        }

        Assert.Contains(TaskState.TaskRunning, states);

        var reconcile = new Call.Types.Reconcile();
        reconcile.Tasks.Add(new Call.Types.Reconcile.Types.Task { TaskId = new TaskID { Value = "pb" }, AgentId = offer.AgentId });
        Assert.Equal(202, await CallAsync(new Call { Type = Call.Types.Type.Reconcile, Reconcile = reconcile }));
        var answer = (await NextAsync(events, e => e.Type == Event.Types.Type.Update, ct)).Update.Status;
        Assert.Equal(TaskState.TaskFinished, answer.State);
        Assert.Equal(TaskStatus.Types.Reason.Reconciliation, answer.Reason);
        Assert.False(answer.HasUuid);

        // The operator API speaks protobuf too.
        using (var state = await http.SendAsync(Request("/api/v1", new MasterApi.Call { Type = MasterApi.Call.Types.Type.GetState }), ct))
        {
            Assert.Equal(ProtobufType, state.Content.Headers.ContentType?.MediaType);
            var response = MasterApi.Response.Parser.ParseFrom(await state.Content.ReadAsByteArrayAsync(ct));
            Assert.Equal(MasterApi.Response.Types.Type.GetState, response.Type);
            Assert.Equal(frameworkId, response.GetState.GetFrameworks.Frameworks.Single().FrameworkInfo.Id);
            Assert.Equal("pb", response.GetState.GetTasks.CompletedTasks.Single().TaskId.Value);
            Assert.Equal(offer.AgentId, response.GetState.GetAgents.Agents.Single().AgentInfo.Id);
        }

        Assert.Equal(202, await CallAsync(new Call { Type = Call.Types.Type.Teardown }));
        while (await events.NextBytesAsync(ct) is not null)
        {
        }
    }

    [Fact]
    public async Task BadProtobufBodies_Get400_AndTheOperatorStreamIsProtobufToo()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}"), Timeout = Timeout.InfiniteTimeSpan };

        foreach (var path in new[] { "/api/v1/scheduler", "/api/v1" })
        {
            using var garbage = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new ByteArrayContent([0x0a, 0xff, 0xff]) { Headers = { ContentType = new MediaTypeHeaderValue(ProtobufType) } },
            };
            using var response = await http.SendAsync(garbage, ct);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
            Assert.StartsWith("Failed to parse body into Call protobuf", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        using var noType = await http.SendAsync(Request("/api/v1/scheduler", new Call()), ct);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, noType.StatusCode);
        Assert.Equal("Failed to validate scheduler::Call: Expecting 'type' to be present", await noType.Content.ReadAsStringAsync(ct));

        using var stream = await http.SendAsync(Request("/api/v1", new MasterApi.Call { Type = MasterApi.Call.Types.Type.Subscribe }), HttpCompletionOption.ResponseHeadersRead, ct);
        var events = new RecordIoReader(await stream.Content.ReadAsStreamAsync(ct));
        var subscribed = MasterApi.Event.Parser.ParseFrom((await events.NextBytesAsync(ct))!);
        Assert.Equal(MasterApi.Event.Types.Type.Subscribed, subscribed.Type);
        Assert.Equal(15.0, subscribed.Subscribed.HeartbeatIntervalSeconds);
    }
}
