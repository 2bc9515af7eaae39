using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using Mesos.Protocol.V1;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Tests.Integration;

/// <summary>
/// A minimal framework over raw gRPC for tests: subscribes, collects offers and status updates, acknowledges
/// every update that carries a uuid (as a well-behaved framework must), and launches command tasks.
/// </summary>
public sealed class TestFramework : IAsyncDisposable
{
    private readonly Scheduler.SchedulerClient client;
    private readonly AsyncServerStreamingCall<SchedulerEvent> subscription;
    private readonly CancellationTokenSource stop = new();
    private readonly Channel<Offer> offers = Channel.CreateUnbounded<Offer>();
    private readonly ConcurrentDictionary<string, Channel<TaskStatus>> updates = new();
    private readonly Task pump;

    private TestFramework(Scheduler.SchedulerClient client, AsyncServerStreamingCall<SchedulerEvent> subscription, CallContext context)
    {
        this.client = client;
        this.subscription = subscription;
        Context = context;
        pump = Task.Run(PumpAsync);
    }

    public CallContext Context { get; }

    public static async Task<TestFramework> SubscribeAsync(TestMaster master, string name, CancellationToken ct, params FrameworkInfo.Types.Capability[] capabilities)
    {
        var client = new Scheduler.SchedulerClient(master.Channel);
        var info = new FrameworkInfo { Name = name, User = System.Environment.UserName, FailoverTimeout = 300 };
        info.Capabilities.AddRange(capabilities);
        var call = client.Subscribe(new SubscribeRequest { FrameworkInfo = info }, cancellationToken: CancellationToken.None);
        var subscribed = (await MasterProtocolTests.NextAsync(call.ResponseStream, SchedulerEvent.EventOneofCase.Subscribed, ct)).Subscribed;
        return new TestFramework(client, call, new CallContext { FrameworkId = subscribed.FrameworkId, StreamId = subscribed.StreamId });
    }

    /// <summary>Subscribes again as the framework <paramref name="frameworkId"/>, as a scheduler does after a master failover.</summary>
    public static async Task<TestFramework> ResubscribeAsync(TestMaster master, string name, string frameworkId, CancellationToken ct)
    {
        var client = new Scheduler.SchedulerClient(master.Channel);
        var info = new FrameworkInfo { Name = name, User = System.Environment.UserName, FailoverTimeout = 300, Id = frameworkId };
        var call = client.Subscribe(new SubscribeRequest { FrameworkInfo = info }, cancellationToken: CancellationToken.None);
        var subscribed = (await MasterProtocolTests.NextAsync(call.ResponseStream, SchedulerEvent.EventOneofCase.Subscribed, ct)).Subscribed;
        return new TestFramework(client, call, new CallContext { FrameworkId = subscribed.FrameworkId, StreamId = subscribed.StreamId });
    }

    public async Task<Offer> NextOfferAsync(CancellationToken ct) => await offers.Reader.ReadAsync(ct);

    /// <summary>Launches a command task on the next offer and returns its task id.</summary>
    public async Task<string> LaunchAsync(string taskId, string command, CancellationToken ct, double cpus = 0.1, double mem = 32)
    {
        var offer = await NextOfferAsync(ct);
        var task = new TaskInfo { TaskId = taskId, Name = taskId, Command = new CommandInfo { Value = command } };
        task.Resources.AddRange(MasterProtocolTests.Resources("cpus", cpus).Concat(MasterProtocolTests.Resources("mem", mem)));
        updates.GetOrAdd(taskId, _ => Channel.CreateUnbounded<TaskStatus>());
        await client.AcceptAsync(new AcceptRequest { Context = Context, OfferIds = { offer.Id }, Launch = { task }, Filters = new Filters { RefuseSeconds = 0 } }, cancellationToken: ct);
        return taskId;
    }

    /// <summary>Launches <paramref name="group"/> (LAUNCH_GROUP) on the next offer, its tasks on the offer's agent.</summary>
    public async Task LaunchGroupAsync(LaunchGroup group, CancellationToken ct)
    {
        var offer = await NextOfferAsync(ct);
        foreach (var task in group.Tasks)
        {
            task.AgentId = offer.AgentId;
            updates.GetOrAdd(task.TaskId, _ => Channel.CreateUnbounded<TaskStatus>());
        }

        await client.AcceptAsync(new AcceptRequest { Context = Context, OfferIds = { offer.Id }, LaunchGroups = { group }, Filters = new Filters { RefuseSeconds = 0 } }, cancellationToken: ct);
    }

    public async Task<TaskStatus> NextUpdateAsync(string taskId, CancellationToken ct) =>
        await updates.GetOrAdd(taskId, _ => Channel.CreateUnbounded<TaskStatus>()).Reader.ReadAsync(ct);

    /// <summary>An update of the task already received and not yet read, if any.</summary>
    public bool TryReadUpdate(string taskId, out TaskStatus status) =>
        updates.GetOrAdd(taskId, _ => Channel.CreateUnbounded<TaskStatus>()).Reader.TryRead(out status!);

    /// <summary>Reads updates of a task until a terminal one, returning all of them in order.</summary>
    public async Task<List<TaskStatus>> UpdatesUntilTerminalAsync(string taskId, CancellationToken ct)
    {
        var seen = new List<TaskStatus>();
        while (true)
        {
            var status = await NextUpdateAsync(taskId, ct);
            seen.Add(status);
            if (status.State is TaskState.TaskFinished or TaskState.TaskFailed or TaskState.TaskKilled or TaskState.TaskLost or TaskState.TaskError
                or TaskState.TaskDropped or TaskState.TaskGone or TaskState.TaskGoneByOperator)
            {
                return seen;
            }
        }
    }

    public Task KillAsync(string taskId, CancellationToken ct) =>
        client.KillAsync(new KillRequest { Context = Context, TaskId = taskId }, cancellationToken: ct).ResponseAsync;

    public Task TeardownAsync(CancellationToken ct) =>
        client.TeardownAsync(new TeardownRequest { Context = Context }, cancellationToken: ct).ResponseAsync;

    private async Task PumpAsync()
    {
        try
        {
            while (await subscription.ResponseStream.MoveNext(stop.Token))
            {
                var @event = subscription.ResponseStream.Current;
                switch (@event.EventCase)
                {
                    case SchedulerEvent.EventOneofCase.Offers:
                        foreach (var offer in @event.Offers.Offers_)
                        {
                            offers.Writer.TryWrite(offer);
                        }

                        break;
                    case SchedulerEvent.EventOneofCase.Update:
                        var status = @event.Update.Status;
                        updates.GetOrAdd(status.TaskId, _ => Channel.CreateUnbounded<TaskStatus>()).Writer.TryWrite(status);
                        if (!status.Uuid.IsEmpty)
                        {
                            await client.AcknowledgeAsync(new AcknowledgeRequest { Context = Context, AgentId = status.AgentId, TaskId = status.TaskId, Uuid = status.Uuid });
                        }

                        break;
                }
            }
        }
        catch (RpcException)
        {
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await pump;
        subscription.Dispose();
        stop.Dispose();
    }
}
