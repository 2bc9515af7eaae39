using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Mesos.Agent;
using Mesos.Agent.Configuration;
using Mesos.Core.Attributes;
using Mesos.Core.Resources;
using Mesos.Protocol.V1;
using Mesos.Tests.Api.Http;
using WireAgent = Mesos.Protocol.Wire.Agent;

namespace Mesos.Tests.Agent;

/// <summary>
/// The agent's v1 operator API, <c>POST /api/v1</c> on its port, as an operator written from Mesos' agent API docs
/// uses it: raw JSON and protobuf bodies, a real agent with a running command task.
/// </summary>
public sealed class AgentOperatorApiTests : IAsyncLifetime
{
    private readonly TempDirectory _workDir = new();
    private readonly CancellationTokenSource _cts = new(TimeSpan.FromSeconds(90));
    private FakeMaster _master = null!;
    private AgentRuntime _agent = null!;
    private OperatorHttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _master = await FakeMaster.StartAsync();
        _agent = await AgentRuntime.StartAsync(new AgentOptions
        {
            Masters = [_master.Address],
            WorkDir = _workDir.Path,
            Resources = ResourceSet.Parse("cpus:2;mem:256;ports:[31000-31005]"),
            Attributes = AgentAttributes.Parse("rack:r1"),
            Port = 0,
            Ip = "127.0.0.1",
            Isolation = "posix/cpu,posix/mem",
            DefaultKillGracePeriod = TimeSpan.FromSeconds(1),
        });
        await _agent.WaitForRegistrationAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _client = new OperatorHttpClient(_agent.HttpPort);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _agent.StopAsync();
        await _master.DisposeAsync();
        _cts.Dispose();
        _workDir.Dispose();
    }

    [Fact]
    public async Task Introspection_HealthVersionFlagsAgentAndMetrics_InMesosShapes()
    {
        var ct = _cts.Token;
        Assert.True((bool)(await _client.GetAsync("GET_HEALTH", ct))["healthy"]!);
        Assert.Equal("1.11.0", (string?)(await _client.GetAsync("GET_VERSION", ct))["version_info"]!["version"]);

        var flags = (await _client.GetAsync("GET_FLAGS", ct))["flags"]!.AsArray();
        Assert.Contains(flags, f => (string?)f!["name"] == "work_dir" && (string?)f["value"] == _workDir.Path);

        var agent = (await _client.GetAsync("GET_AGENT", ct))["agent_info"]!;
        Assert.Equal(_agent.HttpPort, (int)agent["port"]!);
        Assert.Equal(_agent.AgentId, (string?)agent["id"]!["value"]);
        var ports = agent["resources"]!.AsArray().Single(r => (string?)r!["name"] == "ports")!;
        Assert.Equal("RANGES", (string?)ports["type"]);
        Assert.Equal(JsonValueKind.Number, JsonDocument.Parse(ports["ranges"]!["range"]![0]!["begin"]!.ToJsonString()).RootElement.ValueKind);
        Assert.Equal(31005, (long)ports["ranges"]!["range"]![0]!["end"]!);
        Assert.Equal("r1", (string?)agent["attributes"]![0]!["text"]!["value"]);

        var metrics = (await _client.GetAsync("GET_METRICS", ct))["metrics"]!.AsArray().ToDictionary(m => (string)m!["name"]!, m => (double)m!["value"]!);
        Assert.Equal(2, metrics["slave/cpus_total"]);
        Assert.Equal(1, metrics["slave/registered"]);
        Assert.Equal(0, metrics["slave/tasks_running"]);
    }

    [Fact]
    public async Task RunningTask_IsInTasksExecutorsFrameworksContainersAndState_AndItsSandboxIsListedAndRead()
    {
        var ct = _cts.Token;
        var task = new TaskInfo { TaskId = "web-1", Name = "web", Command = new CommandInfo { Value = "echo hello from web-1 && sleep 1000" } };
        task.Resources.Add(new Mesos.Protocol.V1.Resource { Name = "cpus", Type = Value.Types.Type.Scalar, Scalar = new Value.Types.Scalar { Value = 0.5 } });
        _master.Service.Send(new MasterToAgent
        {
            RunTask = new MasterToAgent.Types.RunTask { FrameworkInfo = new FrameworkInfo { Id = "fw-1", Name = "f", User = "root" }, Task = task, ExecutorId = "web-1" },
        });

        JsonObject tasks;
        while (true)
        {
            tasks = await _client.GetAsync("GET_TASKS", ct);
            if (tasks["launched_tasks"]?[0]?["state"]?.GetValue<string>() == "TASK_RUNNING")
            {
                break;
            }

            await Task.Delay(100, ct);
        }

        var launched = tasks["launched_tasks"]![0]!;
        Assert.Equal("web-1", (string?)launched["task_id"]!["value"]);
        Assert.Equal("fw-1", (string?)launched["framework_id"]!["value"]);
        Assert.Equal(_agent.AgentId, (string?)launched["agent_id"]!["value"]);
        Assert.Contains(launched["statuses"]!.AsArray(), s => (string?)s!["state"] == "TASK_RUNNING");

        var executor = Assert.Single((await _client.GetAsync("GET_EXECUTORS", ct))["executors"]!.AsArray())!["executor_info"]!;
        Assert.Equal("web-1", (string?)executor["executor_id"]!["value"]);
        Assert.StartsWith("Command Executor (Task: web-1)", (string?)executor["name"], StringComparison.Ordinal);

        var framework = Assert.Single((await _client.GetAsync("GET_FRAMEWORKS", ct))["frameworks"]!.AsArray())!["framework_info"]!;
        Assert.Equal("fw-1", (string?)framework["id"]!["value"]);

        var container = Assert.Single((await _client.GetAsync("GET_CONTAINERS", ct))["containers"]!.AsArray())!;
        Assert.Equal("web-1", (string?)container["executor_id"]!["value"]);
        Assert.Equal(0.5, (double)container["resource_statistics"]!["cpus_limit"]!);

        var state = await _client.GetAsync("GET_STATE", ct);
        Assert.Equal("web-1", (string?)state["get_tasks"]!["launched_tasks"]![0]!["task_id"]!["value"]);
        Assert.Equal("fw-1", (string?)state["get_frameworks"]!["frameworks"]![0]!["framework_info"]!["id"]!["value"]);
        Assert.Single(state["get_executors"]!["executors"]!.AsArray());

        var metrics = (await _client.GetAsync("GET_METRICS", ct))["metrics"]!.AsArray().ToDictionary(m => (string)m!["name"]!, m => (double)m!["value"]!);
        Assert.Equal(1, metrics["slave/tasks_running"]);
        Assert.Equal(0.5, metrics["slave/cpus_used"]);

        var directory = JsonNode.Parse(await _client.Http.GetStringAsync("/state", ct))!["frameworks"]![0]!["executors"]![0]!["directory"]!.GetValue<string>();
        string stdout;
        while (true)
        {
            var (listed, listing) = await _client.CallAsync(new JsonObject { ["type"] = "LIST_FILES", ["list_files"] = new JsonObject { ["path"] = directory } }, ct);
            Assert.True(listed == 200, listing);
            var files = JsonNode.Parse(listing)!["list_files"]!["file_infos"]!.AsArray();
            var entry = files.Single(f => ((string)f!["path"]!).EndsWith("/stdout", StringComparison.Ordinal))!;
            Assert.Equal(directory + "/stdout", (string?)entry["path"]);
            var (read, body) = await _client.CallAsync(new JsonObject { ["type"] = "READ_FILE", ["read_file"] = new JsonObject { ["path"] = directory + "/stdout", ["offset"] = 0 } }, ct);
            Assert.True(read == 200, body);
            stdout = Encoding.UTF8.GetString(Convert.FromBase64String((string)JsonNode.Parse(body)!["read_file"]!["data"]!));
            if (stdout.Contains("hello from web-1", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(100, ct);
        }

        var call = new WireAgent.Call
        {
            Type = WireAgent.Call.Types.Type.ReadFile,
            ReadFile = new WireAgent.Call.Types.ReadFile { Path = directory + "/stdout", Offset = 6, Length = 4 },
        };
        var answer = await ProtobufAsync(call, ct);
        Assert.Equal(WireAgent.Response.Types.Type.ReadFile, answer.Type);
        Assert.Equal(stdout.Substring(6, 4), answer.ReadFile.Data.ToStringUtf8());
        Assert.Equal((ulong)Encoding.UTF8.GetByteCount(stdout), answer.ReadFile.Size);

        var protobufTasks = await ProtobufAsync(new WireAgent.Call { Type = WireAgent.Call.Types.Type.GetTasks }, ct);
        Assert.Equal("web-1", Assert.Single(protobufTasks.GetTasks.LaunchedTasks).TaskId.Value);
    }

    [Theory]
    [InlineData("GET", null, null, null, 405, "Expecting one of { 'POST' }, but received 'GET'")]
    [InlineData("POST", null, "{}", null, 400, "Expecting 'Content-Type' to be present")]
    [InlineData("POST", "text/plain", "{}", null, 415, "Expecting 'Content-Type' of application/json or application/x-protobuf")]
    [InlineData("POST", "application/json", "{\"type\":", null, 400, "Failed to parse body into JSON")]
    [InlineData("POST", "application/json", "[1]", null, 400, "Failed to parse body into JSON")]
    [InlineData("POST", "application/json", "{\"type\":\"GET_NOTHING\"}", null, 400, "Failed to validate agent::Call: Expecting 'type' to be present")]
    [InlineData("POST", "application/json", "{\"type\":\"READ_FILE\",\"read_file\":{\"path\":7}}", null, 400, "Failed to convert JSON into Call protobuf")]
    [InlineData("POST", "application/json", "{}", null, 400, "Failed to validate agent::Call: Expecting 'type' to be present")]
    [InlineData("POST", "application/json", "{\"type\":\"LIST_FILES\"}", null, 400, "Failed to validate agent::Call: Expecting 'list_files' to be present")]
    [InlineData("POST", "application/json", "{\"type\":\"READ_FILE\"}", null, 400, "Failed to validate agent::Call: Expecting 'read_file' to be present")]
    [InlineData("POST", "application/json", "{\"type\":\"GET_HEALTH\"}", "text/html", 406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'")]
    [InlineData("POST", "application/json", "{\"type\":\"UNKNOWN\"}", null, 501, "Received an unexpected 'UNKNOWN' call")]
    [InlineData("POST", "application/json", "{\"type\":\"LAUNCH_NESTED_CONTAINER\"}", null, 501, "'LAUNCH_NESTED_CONTAINER' is not supported by this agent")]
    [InlineData("POST", "application/json", "{\"type\":\"LIST_FILES\",\"list_files\":{\"path\":\"/etc\"}}", null, 403, "outside the agent's sandboxes")]
    [InlineData("POST", "application/json", "{\"type\":\"READ_FILE\",\"read_file\":{\"path\":\"slaves/none/stdout\",\"offset\":0}}", null, 404, "No such file or directory")]
    [InlineData("POST", "application/x-protobuf", "not protobuf \u0001\u00ff", null, 400, "Failed to parse body into Call protobuf")]
    public async Task BadCalls_GetMesosStatusAndMessage(string method, string? contentType, string? body, string? accept, int expected, string message)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "/api/v1");
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.Latin1.GetBytes(body));
            if (contentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
        }

        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        var (status, text) = await _client.SendAsync(request, _cts.Token);

        Assert.True(status == expected, $"{status} {text}");
        Assert.Contains(message, text, StringComparison.Ordinal);
        Assert.True((await _client.GetAsync("GET_HEALTH", _cts.Token))["healthy"]!.GetValue<bool>());
    }

    [Fact]
    public async Task MetricsSnapshot_IsTheFlatMesosObject()
    {
        var json = JsonNode.Parse(await _client.Http.GetStringAsync("/metrics/snapshot", _cts.Token))!.AsObject();

        Assert.Equal(256, (double)json["slave/mem_total"]!);
        Assert.Equal(1, (double)json["slave/registered"]!);
    }

    [Fact]
    public async Task RandomAndMutatedCalls_InJsonAndProtobuf_NeverGetAServerError()
    {
        int[] documented = [200, 400, 403, 404, 405, 406, 413, 415, 501];
        string[] seeds =
        [
            """{"type":"GET_STATE"}""",
            """{"type":"GET_METRICS","get_metrics":{"timeout":{"nanoseconds":1000000}}}""",
            """{"type":"LIST_FILES","list_files":{"path":"slaves"}}""",
            """{"type":"READ_FILE","read_file":{"path":"slaves/x/stdout","offset":0,"length":10}}""",
            """{"type":"GET_CONTAINERS"}""",
            """{"type":"GET_AGENT"}""",
        ];
        var seed = System.Environment.GetEnvironmentVariable("FUZZ_SEED") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : Random.Shared.Next();
        Console.WriteLine($"{nameof(AgentOperatorApiTests)} seed {seed} (FUZZ_SEED={seed} replays it)");
        var random = new Random(seed);
        var parser = new Google.Protobuf.JsonParser(Google.Protobuf.JsonParser.Settings.Default);
        var protobufSeeds = seeds.Select(json => Google.Protobuf.MessageExtensions.ToByteArray(parser.Parse<WireAgent.Call>(json))).ToArray();
        for (var i = 0; i < 1500; i++)
        {
            var protobuf = random.Next(3) == 0;
            byte[] body;
            if (protobuf)
            {
                body = (byte[])protobufSeeds[random.Next(protobufSeeds.Length)].Clone();
                for (var n = random.Next(0, 4); n > 0 && body.Length > 0; n--)
                {
                    body[random.Next(body.Length)] = (byte)random.Next(256);
                }
            }
            else
            {
                body = SchedulerHttpFuzzTests.Mutate(random, seeds[random.Next(seeds.Length)]);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(protobuf ? "application/x-protobuf" : "application/json");
            var (status, text) = await _client.SendAsync(request, _cts.Token);
            Assert.True(documented.Contains(status), $"seed {seed}, case {i}: {status} {text} for {Convert.ToHexString(body)}");
        }

        Assert.True((await _client.GetAsync("GET_HEALTH", _cts.Token))["healthy"]!.GetValue<bool>(), $"seed {seed}: the agent stopped serving");
    }

    [Fact]
    public async Task TerminalTaskMetrics_CountEveryTaskThatEnded_AfterItIsAcknowledgedAndItsFrameworkForgotten()
    {
        var ct = _cts.Token;
        Assert.Equal(TaskState.TaskFinished, await RunToEndAsync("fw-1", "done", "exit 0", kill: false));

        // Acknowledged, the task's framework has nothing left on the agent, which stops holding it as active.
        while ((await _client.GetAsync("GET_FRAMEWORKS", ct))["frameworks"]?.AsArray().Count > 0)
        {
            await Task.Delay(100, ct);
        }

        Assert.Equal(TaskState.TaskFailed, await RunToEndAsync("fw-2", "broken", "exit 3", kill: false));
        Assert.Equal(TaskState.TaskKilled, await RunToEndAsync("fw-2", "stopped", "sleep 1000", kill: true));

        var operatorApi = (await _client.GetAsync("GET_METRICS", ct))["metrics"]!.AsArray().ToDictionary(m => (string)m!["name"]!, m => (double)m!["value"]!);
        var snapshot = JsonNode.Parse(await _client.Http.GetStringAsync("/metrics/snapshot", ct))!.AsObject().ToDictionary(m => m.Key, m => (double)m.Value!);
        (string Name, double Value)[] expected =
        [
            ("slave/tasks_finished", 1), ("slave/tasks_failed", 1), ("slave/tasks_killed", 1),
            ("slave/tasks_lost", 0), ("slave/tasks_gone", 0), ("slave/tasks_running", 0),
        ];
        Assert.Equal(expected, expected.Select(m => (m.Name, operatorApi[m.Name])));
        Assert.Equal(expected, expected.Select(m => (m.Name, snapshot[m.Name])));
    }

    /// <summary>Runs a command task, acknowledging each update as a master does (killing it once it runs), until it ends.</summary>
    private async Task<TaskState> RunToEndAsync(string frameworkId, string taskId, string command, bool kill)
    {
        _master.Service.Send(new MasterToAgent
        {
            RunTask = new MasterToAgent.Types.RunTask
            {
                FrameworkInfo = new FrameworkInfo { Id = frameworkId, Name = "f", User = "root" },
                Task = new TaskInfo { TaskId = taskId, Name = taskId, Command = new CommandInfo { Value = command } },
                ExecutorId = taskId,
            },
        });

        while (true)
        {
            var update = await _master.Service.NextUpdateAsync();
            Assert.Equal(taskId, update.Status.TaskId);
            _master.Service.Send(new MasterToAgent
            {
                StatusAcknowledged = new MasterToAgent.Types.StatusAcknowledged
                {
                    FrameworkId = update.FrameworkId,
                    TaskId = update.Status.TaskId,
                    Uuid = ByteString.CopyFrom(update.Status.Uuid.Span),
                },
            });
            if (kill && update.Status.State == TaskState.TaskRunning)
            {
                _master.Service.Send(new MasterToAgent { KillTask = new MasterToAgent.Types.KillTask { FrameworkId = frameworkId, TaskId = taskId } });
            }

            if (update.Status.State is not (TaskState.TaskStaging or TaskState.TaskStarting or TaskState.TaskRunning or TaskState.TaskKilling))
            {
                return update.Status.State;
            }
        }
    }

    private async Task<WireAgent.Response> ProtobufAsync(WireAgent.Call call, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1") { Content = new ByteArrayContent(Google.Protobuf.MessageExtensions.ToByteArray(call)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-protobuf"));
        using var response = await _client.Http.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        return WireAgent.Response.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync(ct));
    }
}
