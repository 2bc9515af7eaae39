using System.Net.Http.Headers;
using Google.Protobuf;
using Mesos.Protocol.Wire;
using Mesos.Protocol.Wire.Scheduler;
using Mesos.Tests.Integration;
using Task = System.Threading.Tasks.Task;
using TaskStatus = Mesos.Protocol.Wire.TaskStatus;

namespace Mesos.Tests.Api.Http;

/// <summary>LAUNCH_GROUP in application/x-protobuf, built with Mesos' own message types and field numbers.</summary>
public sealed class TaskGroupProtobufTests
{
    private const string ProtobufType = "application/x-protobuf";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static HttpRequestMessage Request(IMessage message, string? streamId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/scheduler")
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

    private static Resource Scalar(string name, double value) =>
        new() { Name = name, Type = Value.Types.Type.Scalar, Scalar = new Value.Types.Scalar { Value = value } };

    private static TaskInfo Task(string taskId, AgentID agentId, string command) => new()
    {
        Name = taskId,
        TaskId = new TaskID { Value = taskId },
        AgentId = agentId,
        Resources = { Scalar("cpus", 0.1), Scalar("mem", 32) },
        Command = new CommandInfo { Value = command },
    };

    [Fact]
    public async Task AGroupOfTwoCommandTasks_OverProtobuf_RunsBothToFinished()
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
            Subscribe = new Call.Types.Subscribe { FrameworkInfo = new FrameworkInfo { User = System.Environment.UserName, Name = "protobuf-group" } },
        };
        using var subscription = await http.SendAsync(Request(subscribe), HttpCompletionOption.ResponseHeadersRead, ct);
        var streamId = subscription.Headers.GetValues("Mesos-Stream-Id").Single();
        var events = new RecordIoReader(await subscription.Content.ReadAsStreamAsync(ct));

        async Task<Event> NextAsync(Func<Event, bool> match)
        {
            while (true)
            {
                var e = Event.Parser.ParseFrom(await events.NextBytesAsync(ct) ?? throw new EndOfStreamException("the subscription stream ended"));
                if (match(e))
                {
                    return e;
                }
            }
        }

        var frameworkId = (await NextAsync(e => e.Type == Event.Types.Type.Subscribed)).Subscribed.FrameworkId;
        async Task<int> CallAsync(Call call)
        {
            call.FrameworkId = frameworkId;
            using var response = await http.SendAsync(Request(call, streamId), ct);
            return (int)response.StatusCode;
        }

        var offer = (await NextAsync(e => e.Type == Event.Types.Type.Offers)).Offers.Offers_[0];
        var executor = new ExecutorInfo
        {
            Type = ExecutorInfo.Types.Type.Default,
            ExecutorId = new ExecutorID { Value = "pb-pod" },
            Resources = { Scalar("cpus", 0.1), Scalar("mem", 32), Scalar("disk", 10) },
        };
        var accept = new Call.Types.Accept { OfferIds = { offer.Id } };
        accept.Operations.Add(new Offer.Types.Operation
        {
            Type = Offer.Types.Operation.Types.Type.LaunchGroup,
            LaunchGroup = new Offer.Types.Operation.Types.LaunchGroup
            {
                Executor = executor,
                TaskGroup = new TaskGroupInfo { Tasks = { Task("pb-a", offer.AgentId, "true"), Task("pb-b", offer.AgentId, "true") } },
            },
        });
        Assert.Equal(202, await CallAsync(new Call { Type = Call.Types.Type.Accept, Accept = accept }));

        var finished = new HashSet<string>();
        var seen = new List<TaskStatus>();
        while (finished.Count < 2)
        {
            var status = (await NextAsync(e => e.Type == Event.Types.Type.Update)).Update.Status;
            seen.Add(status);
            Assert.Equal("pb-pod", status.ExecutorId.Value);
            var ack = new Call.Types.Acknowledge { AgentId = status.AgentId, TaskId = status.TaskId, Uuid = status.Uuid };
            Assert.Equal(202, await CallAsync(new Call { Type = Call.Types.Type.Acknowledge, Acknowledge = ack }));
            Assert.NotEqual(TaskState.TaskFailed, status.State);
            if (status.State == TaskState.TaskFinished)
            {
                finished.Add(status.TaskId.Value);
            }
        }

        Assert.Equal(["pb-a", "pb-b"], finished.Order());
        Assert.Contains(seen, s => s.TaskId.Value == "pb-a" && s.State == TaskState.TaskRunning);
    }
}
