using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Mesos.Benchmarks.Failover;

/// <summary>
/// A framework that keeps launching short command tasks through Mesos' v1 scheduler HTTP API (JSON), written
/// from Mesos' scheduler-http-api.md: SUBSCRIBE on a connection held open, RecordIO events, every other call on
/// its own request with Mesos-Stream-Id. When its stream breaks it looks for the leader as Mesos frameworks do
/// without ZooKeeper (POST SUBSCRIBE to each master it knows, following 307), re-subscribes with its framework
/// id, and reconciles. It never reuses a task id: a launch whose answer was lost with its master is "uncertain"
/// and settled by explicit reconciliation. It records every status it receives, so that a test can hold the
/// cluster to its promises.
/// </summary>
public sealed class FailoverFramework : IAsyncDisposable
{
    private const string SchedulerPath = "/api/v1/scheduler";

    private readonly IReadOnlyList<string> masters;
    private readonly string name;
    private readonly int maxInFlight;
    private readonly string command;
    private readonly Stopwatch clock;
    private readonly HttpClient http = new(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(2) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly Lock gate = new();
    private readonly HashSet<string> accepted = new(StringComparer.Ordinal);
    private readonly HashSet<string> uncertain = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> agentOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> terminal = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> finishedDeliveries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> finishedUuidsByTask = new(StringComparer.Ordinal);
    private readonly List<(TimeSpan At, string Master)> subscriptions = [];
    private readonly List<(TimeSpan At, string TaskId)> finishedAt = [];
    private readonly List<string> errors = [];
    private readonly CancellationTokenSource stopping = new();
    private Session? session;
    private volatile bool launching = true;
    private int nextTask;
    private Task? running;

    public FailoverFramework(IReadOnlyList<string> masters, string name, Stopwatch clock, int maxInFlight = 6, string command = "sleep 0.2")
    {
        this.masters = masters;
        this.name = name;
        this.clock = clock;
        this.maxInFlight = maxInFlight;
        this.command = command;
    }

    public string? FrameworkId { get; private set; }

    /// <summary>Task ids whose launch the master accepted (202), and those whose answer was lost (the master died meanwhile).</summary>
    public IReadOnlyCollection<string> Launched => Locked(() => accepted.Union(uncertain).ToList());

    public IReadOnlyCollection<string> Uncertain => Locked(() => uncertain.ToList());

    /// <summary>The terminal state this framework heard for each task.</summary>
    public IReadOnlyDictionary<string, string> Terminal => Locked(() => new Dictionary<string, string>(terminal, StringComparer.Ordinal));

    /// <summary>How many times each TASK_FINISHED uuid reached this framework.</summary>
    public IReadOnlyDictionary<string, int> FinishedDeliveries => Locked(() => new Dictionary<string, int>(finishedDeliveries, StringComparer.Ordinal));

    /// <summary>The distinct TASK_FINISHED uuids each task was reported with.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> FinishedUuidsByTask =>
        Locked(() => finishedUuidsByTask.ToDictionary(p => p.Key, p => (IReadOnlySet<string>)p.Value.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal));

    /// <summary>Each SUBSCRIBED, with the master that sent it (host:port).</summary>
    public IReadOnlyList<(TimeSpan At, string Master)> Subscriptions => Locked(() => subscriptions.ToList());

    public IReadOnlyList<(TimeSpan At, string TaskId)> FinishedAt => Locked(() => finishedAt.ToList());

    public IReadOnlyList<string> Errors => Locked(() => errors.ToList());

    public void Start() => running = Task.Run(() => RunAsync(stopping.Token));

    /// <summary>Where the framework stands, for a rig that waited too long for it.</summary>
    public string Describe() => Locked(() =>
    {
        var open = accepted.Union(uncertain).Where(t => !terminal.ContainsKey(t)).Order(StringComparer.Ordinal).ToList();
        var last = subscriptions.Count > 0 ? subscriptions[^1] : default;
        return string.Create(CultureInfo.InvariantCulture,
            $"framework {FrameworkId}: {subscriptions.Count} subscriptions (last to {last.Master} at {last.At.TotalSeconds:0.0} s), session {(Volatile.Read(ref session) is { } s ? s.Leader : "none")}, "
            + $"{accepted.Count} launches accepted, {uncertain.Count} uncertain, {terminal.Count} terminal, last finished at {(finishedAt.Count > 0 ? finishedAt[^1].At.TotalSeconds : 0):0.0} s; "
            + $"open: {string.Join(", ", open.Select(t => uncertain.Contains(t) ? t + "?" : t))}; errors: {string.Join(" | ", errors)}");
    });

    /// <summary>Stops launching, then waits until every task it launched (or may have) has a terminal state; uncertain ones are reconciled.</summary>
    public async Task SettleAsync(CancellationToken ct)
    {
        launching = false;
        var lastReconcile = TimeSpan.Zero;
        while (true)
        {
            var open = Locked(() => accepted.Union(uncertain).Where(t => !terminal.ContainsKey(t)).ToList());
            if (open.Count == 0)
            {
                return;
            }

            if (clock.Elapsed - lastReconcile > TimeSpan.FromSeconds(2) && Volatile.Read(ref session) is { } current)
            {
                lastReconcile = clock.Elapsed;
                var tasks = new JsonArray();
                foreach (var taskId in open)
                {
                    var entry = new JsonObject { ["task_id"] = Id(taskId) };
                    if (Locked(() => agentOf.GetValueOrDefault(taskId)) is { } agentId)
                    {
                        entry["agent_id"] = Id(agentId);
                    }

                    tasks.Add(entry);
                }

                await CallAsync(current, "RECONCILE", new JsonObject { ["tasks"] = tasks }, ct).ConfigureAwait(false);
            }

            await Task.Delay(100, ct).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        if (running is not null)
        {
            try
            {
                await running.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        stopping.Dispose();
        http.Dispose();
    }

    private static JsonObject Id(string value) => new() { ["value"] = value };

    private static bool IsTerminal(string state) => state is "TASK_FINISHED" or "TASK_FAILED" or "TASK_KILLED" or "TASK_LOST" or "TASK_ERROR"
        or "TASK_DROPPED" or "TASK_GONE" or "TASK_GONE_BY_OPERATOR" or "TASK_UNKNOWN";

    private T Locked<T>(Func<T> read)
    {
        lock (gate)
        {
            return read();
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var (response, leader) = await SubscribeToLeaderAsync(ct).ConfigureAwait(false);
                using (response)
                {
                    var current = new Session(leader, response.Headers.GetValues("Mesos-Stream-Id").Single());
                    var events = new RecordIo(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false));
                    while (await events.NextAsync(ct).ConfigureAwait(false) is { } @event)
                    {
                        await HandleAsync(current, @event, ct).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && ex is HttpRequestException or SocketException or IOException or InvalidDataException or OperationCanceledException)
            {
                // The master went away mid-stream (or mid-subscribe): find the leader again.
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                Volatile.Write(ref session, null);
            }

            await Task.Delay(50, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Tries every master in turn, following 307 to the leader it names, until one answers 200.</summary>
    private async Task<(HttpResponseMessage Response, string Leader)> SubscribeToLeaderAsync(CancellationToken ct)
    {
        while (true)
        {
            foreach (var start in masters)
            {
                var target = start;
                for (var hop = 0; hop < 3; hop++)
                {
                    var info = new JsonObject
                    {
                        ["user"] = Environment.UserName,
                        ["name"] = name,
                        ["failover_timeout"] = 3600,
                    };
                    if (FrameworkId is { } id)
                    {
                        info["id"] = Id(id);
                    }

                    var call = new JsonObject { ["type"] = "SUBSCRIBE", ["subscribe"] = new JsonObject { ["framework_info"] = info } };
                    if (FrameworkId is { } known)
                    {
                        call["framework_id"] = Id(known);
                    }

                    using var request = Post(target, call);
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                    HttpResponseMessage response;
                    try
                    {
                        using var answer = CancellationTokenSource.CreateLinkedTokenSource(ct);
                        answer.CancelAfter(TimeSpan.FromSeconds(5));
                        response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, answer.Token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (!ct.IsCancellationRequested && ex is HttpRequestException or SocketException or OperationCanceledException)
                    {
                        break;
                    }

                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return (response, target);
                    }

                    var location = response.Headers.Location;
                    response.Dispose();
                    if (response.StatusCode != HttpStatusCode.TemporaryRedirect || location is null)
                    {
                        break;
                    }

                    // Mesos' Location is scheme-relative: //host:port/api/v1/scheduler.
                    var leader = new Uri("http:" + location.OriginalString);
                    target = $"{leader.Host}:{leader.Port}";
                }
            }

            await Task.Delay(100, ct).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(Session current, JsonObject @event, CancellationToken ct)
    {
        switch ((string?)@event["type"])
        {
            case "SUBSCRIBED":
                FrameworkId = (string)@event["subscribed"]!["framework_id"]!["value"]!;
                lock (gate)
                {
                    subscriptions.Add((clock.Elapsed, current.Leader));
                }

                Volatile.Write(ref session, current);

                // As Mesos' reconciliation guide has it after every (re)subscription: first explicitly, the tasks
                // whose end we have not heard (a launch the old master took but never logged is unknown to this one,
                // and only an explicit question gets an answer for it), then implicitly, every task the master knows.
                var open = Locked(() => accepted.Union(uncertain).Where(t => !terminal.ContainsKey(t)).Select(t => (TaskId: t, AgentId: agentOf[t])).ToList());
                if (open.Count > 0)
                {
                    var asked = new JsonArray([.. open.Select(t => (JsonNode)new JsonObject { ["task_id"] = Id(t.TaskId), ["agent_id"] = Id(t.AgentId) })]);
                    await CallAsync(current, "RECONCILE", new JsonObject { ["tasks"] = asked }, ct).ConfigureAwait(false);
                }

                await CallAsync(current, "RECONCILE", new JsonObject { ["tasks"] = new JsonArray() }, ct).ConfigureAwait(false);
                break;

            case "OFFERS":
                foreach (var offer in @event["offers"]!["offers"]!.AsArray().Select(o => o!.AsObject()))
                {
                    await AnswerOfferAsync(current, offer, ct).ConfigureAwait(false);
                }

                break;

            case "UPDATE":
                await UpdateAsync(current, @event["update"]!["status"]!.AsObject(), ct).ConfigureAwait(false);
                break;

            case "ERROR":
                lock (gate)
                {
                    errors.Add((string?)@event["error"]?["message"] ?? "ERROR without a message");
                }

                break;
        }
    }

    private async Task AnswerOfferAsync(Session current, JsonObject offer, CancellationToken ct)
    {
        var offerId = (string)offer["id"]!["value"]!;
        var agentId = (string)offer["agent_id"]!["value"]!;
        var inFlight = Locked(() => accepted.Union(uncertain).Count(t => !terminal.ContainsKey(t)));
        if (!launching || inFlight >= maxInFlight)
        {
            await CallAsync(current, "DECLINE", new JsonObject
            {
                ["offer_ids"] = new JsonArray(Id(offerId)),
                ["filters"] = new JsonObject { ["refuse_seconds"] = 0.2 },
            }, ct).ConfigureAwait(false);
            return;
        }

        var taskId = string.Create(CultureInfo.InvariantCulture, $"{name}-{Interlocked.Increment(ref nextTask):D5}");
        lock (gate)
        {
            agentOf[taskId] = agentId;
        }

        var accept = new JsonObject
        {
            ["offer_ids"] = new JsonArray(Id(offerId)),
            ["operations"] = new JsonArray(new JsonObject
            {
                ["type"] = "LAUNCH",
                ["launch"] = new JsonObject
                {
                    ["task_infos"] = new JsonArray(new JsonObject
                    {
                        ["name"] = taskId,
                        ["task_id"] = Id(taskId),
                        ["agent_id"] = Id(agentId),
                        ["resources"] = new JsonArray(
                            new JsonObject { ["name"] = "cpus", ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = 0.1 } },
                            new JsonObject { ["name"] = "mem", ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = 16 } }),
                        ["command"] = new JsonObject { ["value"] = command },
                    }),
                },
            }),
            ["filters"] = new JsonObject { ["refuse_seconds"] = 0 },
        };
        var status = await CallAsync(current, "ACCEPT", accept, ct).ConfigureAwait(false);
        lock (gate)
        {
            // Without a 202 the launch may or may not be in the log: never reuse the id, reconcile it.
            (status == HttpStatusCode.Accepted ? accepted : uncertain).Add(taskId);
        }
    }

    private async Task UpdateAsync(Session current, JsonObject status, CancellationToken ct)
    {
        var taskId = (string)status["task_id"]!["value"]!;
        var state = (string)status["state"]!;
        var uuid = (string?)status["uuid"];
        lock (gate)
        {
            if (IsTerminal(state))
            {
                terminal.TryAdd(taskId, state);
            }

            if (state == "TASK_FINISHED" && uuid is not null)
            {
                finishedDeliveries[uuid] = finishedDeliveries.GetValueOrDefault(uuid) + 1;
                if (!finishedUuidsByTask.TryGetValue(taskId, out var uuids))
                {
                    finishedUuidsByTask[taskId] = uuids = new HashSet<string>(StringComparer.Ordinal);
                    finishedAt.Add((clock.Elapsed, taskId));
                }

                uuids.Add(uuid);
            }
        }

        if (uuid is not null)
        {
            await CallAsync(current, "ACKNOWLEDGE", new JsonObject
            {
                ["agent_id"] = status["agent_id"]!.DeepClone(),
                ["task_id"] = Id(taskId),
                ["uuid"] = uuid,
            }, ct).ConfigureAwait(false);
        }
    }

    /// <summary>One call on its own request; a master that dies meanwhile gives no status (null), which the caller treats as unknown.</summary>
    private async Task<HttpStatusCode?> CallAsync(Session current, string type, JsonObject payload, CancellationToken ct)
    {
        var call = new JsonObject { ["framework_id"] = Id(FrameworkId!), ["type"] = type, [type.ToLowerInvariant()] = payload };
        using var request = Post(current.Leader, call);
        request.Headers.Add("Mesos-Stream-Id", current.StreamId);
        try
        {
            using var answer = CancellationTokenSource.CreateLinkedTokenSource(ct);
            answer.CancelAfter(TimeSpan.FromSeconds(10));
            using var response = await http.SendAsync(request, answer.Token).ConfigureAwait(false);
            return response.StatusCode;
        }
        // A master killed while the connection is made can surface as a bare SocketException ("Transport endpoint is
        // not connected", from HttpClient's connect bookkeeping), not wrapped in HttpRequestException.
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is HttpRequestException or SocketException or OperationCanceledException)
        {
            return null;
        }
    }

    private static HttpRequestMessage Post(string master, JsonObject call) => new(HttpMethod.Post, new Uri($"http://{master}{SchedulerPath}"))
    {
        Content = new ByteArrayContent(Encoding.UTF8.GetBytes(call.ToJsonString())) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
    };

    private sealed record Session(string Leader, string StreamId);

    /// <summary>RecordIO as docs/recordio.md has it: "&lt;decimal length&gt;\n&lt;that many bytes&gt;".</summary>
    private sealed class RecordIo(Stream stream)
    {
        private readonly byte[] one = new byte[1];

        public async Task<JsonObject?> NextAsync(CancellationToken ct)
        {
            long length = 0;
            var digits = 0;
            while (true)
            {
                if (await stream.ReadAsync(one, ct).ConfigureAwait(false) == 0)
                {
                    return digits == 0 ? null : throw new InvalidDataException("the stream ended inside a record header");
                }

                if (one[0] == (byte)'\n')
                {
                    break;
                }

                if (one[0] is < (byte)'0' or > (byte)'9')
                {
                    throw new InvalidDataException($"byte {one[0]} in a RecordIO length");
                }

                length = (length * 10) + (one[0] - '0');
                digits++;
            }

            var record = new byte[length];
            await stream.ReadExactlyAsync(record, ct).ConfigureAwait(false);
            return JsonNode.Parse(record)!.AsObject();
        }
    }
}
