using System.Text.Json.Nodes;
using Grpc.Core;
using Mesos.Core.Resources;
using Mesos.Protocol.Mapping;
using Mesos.Protocol.V1;
using Mesos.Tests.Integration;

namespace Mesos.Tests.Api.Http;

/// <summary>Persistent volumes over Mesos' v1 HTTP APIs, against a real master and (end to end) a real agent.</summary>
public sealed class VolumeHttpApiTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static JsonObject Id(string value) => new() { ["value"] = value };

    private static JsonObject Scalar(string name, double value) => new() { ["name"] = name, ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = value } };

    /// <summary>Disk reserved for <paramref name="role"/> (dynamically when <paramref name="principal"/> is given), in the pre-refinement format.</summary>
    private static JsonObject Disk(double value, string? role, string? principal = null)
    {
        var disk = Scalar("disk", value);
        if (role is not null)
        {
            disk["role"] = role;
            if (principal is not null)
            {
                disk["reservation"] = new JsonObject { ["principal"] = principal };
            }
        }

        return disk;
    }

    private static JsonObject Volume(double value, string? role, string id, string containerPath = "data", string? principal = null, string? volumePrincipal = null)
    {
        var volume = Disk(value, role, principal);
        var persistence = new JsonObject { ["id"] = id };
        if (volumePrincipal is not null)
        {
            persistence["principal"] = volumePrincipal;
        }

        volume["disk"] = new JsonObject
        {
            ["persistence"] = persistence,
            ["volume"] = new JsonObject { ["container_path"] = containerPath, ["mode"] = "RW" },
        };
        return volume;
    }

    private static AgentInfo AgentInfo(string resources) =>
        new() { Hostname = "127.0.0.1", Port = 5051, Resources = { WireForm.Of(ResourceSet.Parse(resources)) } };

    private static JsonObject Operation(string type, JsonObject body) => new() { ["type"] = type, [type.ToLowerInvariant()] = body };

    private static JsonObject Accept(JsonObject offer, params JsonObject[] operations) => new()
    {
        ["offer_ids"] = new JsonArray(Id((string)offer["id"]!["value"]!)),
        ["operations"] = new JsonArray([.. operations]),
        ["filters"] = new JsonObject { ["refuse_seconds"] = 0 },
    };

    private static JsonObject Launch(JsonObject offer, string taskId, string command, params JsonObject[] resources) => Operation("LAUNCH", new JsonObject
    {
        ["task_infos"] = new JsonArray(new JsonObject
        {
            ["name"] = taskId,
            ["task_id"] = Id(taskId),
            ["agent_id"] = Id((string)offer["agent_id"]!["value"]!),
            ["resources"] = new JsonArray([Scalar("cpus", 0.1), Scalar("mem", 32), .. resources]),
            ["command"] = new JsonObject { ["value"] = command, ["user"] = System.Environment.UserName },
        }),
    });

    private static async Task<JsonObject> NextOfferAsync(SchedulerHttpClient scheduler, Func<JsonObject, bool> match, CancellationToken ct)
    {
        while (true)
        {
            var offer = (await scheduler.NextAsync(e => (string?)e["type"] == "OFFERS", ct))["offers"]!["offers"]!.AsArray()[0]!.AsObject();
            if (match(offer))
            {
                return offer;
            }

            await scheduler.CallAsync("DECLINE", new JsonObject { ["offer_ids"] = new JsonArray(offer["id"]!.DeepClone()), ["filters"] = new JsonObject { ["refuse_seconds"] = 0 } }, ct);
        }
    }

    private static bool HasVolume(JsonObject offer, string id) =>
        offer["resources"]!.AsArray().Any(r => (string?)r!["disk"]?["persistence"]?["id"] == id);

    private static async Task<string> TerminalStateAsync(SchedulerHttpClient scheduler, string taskId, CancellationToken ct)
    {
        while (true)
        {
            var update = await scheduler.NextAsync(e => (string?)e["type"] == "UPDATE" && (string?)e["update"]!["status"]!["task_id"]!["value"] == taskId, ct);
            var status = update["update"]!["status"]!.AsObject();
            if (status["uuid"] is { } uuid)
            {
                await scheduler.CallAsync("ACKNOWLEDGE", new JsonObject { ["agent_id"] = status["agent_id"]!.DeepClone(), ["task_id"] = Id(taskId), ["uuid"] = uuid.DeepClone() }, ct);
            }

            var state = (string)status["state"]!;
            if (state is not ("TASK_STAGING" or "TASK_STARTING" or "TASK_RUNNING"))
            {
                return state;
            }
        }
    }

    private static async Task<JsonObject> SlaveAsync(TestMaster master, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}") };
        var slaves = JsonNode.Parse(await http.GetStringAsync("/master/slaves", ct))!["slaves"]!.AsArray();
        return Assert.Single(slaves)!.AsObject();
    }

    [Fact]
    public async Task AFramework_ReservesAndCreatesAVolume_ATaskWritesIntoIt_TheNextReadsIt_ThenItIsDestroyed()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await EndToEndTests.StartAgentAsync(master.Port, resources: "cpus:2;mem:512;disk:300");
        await agent.WaitForRegistrationAsync(ct);
        using var scheduler = new SchedulerHttpClient(master.Port);
        await scheduler.SubscribeAsync(new JsonObject { ["user"] = System.Environment.UserName, ["name"] = "db", ["role"] = "eng", ["principal"] = "db-principal" }, ct);
        var volume = Volume(100, "eng", "db", "data", "db-principal", "db-principal");
        var volumeDirectory = Path.Combine(agent.Options.WorkDir, "volumes", "roles", "eng", "db");

        var offer = await NextOfferAsync(scheduler, _ => true, ct);
        var (status, body) = await scheduler.CallAsync("ACCEPT", Accept(
            offer,
            Operation("RESERVE", new JsonObject { ["resources"] = new JsonArray(Disk(100, "eng", "db-principal")) }),
            Operation("CREATE", new JsonObject { ["volumes"] = new JsonArray(volume.DeepClone()) }),
            Launch(offer, "writer", "echo kept > data/file", volume.DeepClone().AsObject())), ct);
        Assert.True(status == 202, body);
        Assert.Equal("TASK_FINISHED", await TerminalStateAsync(scheduler, "writer", ct));
        Assert.Equal("kept\n", await File.ReadAllTextAsync(Path.Combine(volumeDirectory, "file"), ct));

        // The volume comes back in the role's offers, with its DiskInfo, and the master shows it as Mesos does.
        offer = await NextOfferAsync(scheduler, o => HasVolume(o, "db"), ct);
        var offered = offer["resources"]!.AsArray().Single(r => (string?)r!["disk"]?["persistence"]?["id"] == "db")!;
        Assert.Equal("data", (string?)offered["disk"]!["volume"]!["container_path"]);
        Assert.Equal("RW", (string?)offered["disk"]!["volume"]!["mode"]);
        Assert.Equal("db-principal", (string?)offered["disk"]!["persistence"]!["principal"]);
        var slave = await SlaveAsync(master, ct);
        Assert.Contains(slave["reserved_resources_full"]!["eng"]!.AsArray(), r => (string?)r!["disk"]?["persistence"]?["id"] == "db");
        using (var agentHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{agent.HttpPort}") })
        {
            var agentState = JsonNode.Parse(await agentHttp.GetStringAsync("/state", ct))!;
            var onAgent = agentState["reserved_resources_full"]!["eng"]!.AsArray().Single(r => r!["disk"] is not null)!;
            Assert.Equal("db", (string?)onAgent["disk"]!["persistence"]!["id"]);
            Assert.Equal("RW", (string?)onAgent["disk"]!["volume"]!["mode"]);
        }

        (status, body) = await scheduler.CallAsync("ACCEPT", Accept(offer, Launch(offer, "reader", "test \"$(cat data/file)\" = kept", volume.DeepClone().AsObject())), ct);
        Assert.True(status == 202, body);
        Assert.Equal("TASK_FINISHED", await TerminalStateAsync(scheduler, "reader", ct));

        offer = await NextOfferAsync(scheduler, o => HasVolume(o, "db"), ct);
        (status, body) = await scheduler.CallAsync("ACCEPT", Accept(offer, Operation("DESTROY", new JsonObject { ["volumes"] = new JsonArray(volume.DeepClone()) })), ct);
        Assert.True(status == 202, body);
        while (Directory.Exists(volumeDirectory))
        {
            await Task.Delay(50, ct);
        }

        offer = await NextOfferAsync(scheduler, _ => true, ct);
        Assert.False(HasVolume(offer, "db"));
        Assert.Contains(offer["resources"]!.AsArray(), r => (string?)r!["name"] == "disk" && (string?)r["role"] == "eng" && r["disk"] is null);
    }

    [Fact]
    public async Task OperatorCreateAndDestroyVolumes_AnswerWithMesosStatusCodesAndMessages()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        var agents = new AgentRegistry.AgentRegistryClient(master.Channel);
        using var attach = agents.Attach(new AttachRequest { AgentInfo = AgentInfo("cpus:4;mem:1024;disk(eng):100;disk:50") }, cancellationToken: ct);
        Assert.True(await attach.ResponseStream.MoveNext(ct));
        using var client = new OperatorHttpClient(master.Port);
        var agentId = (string)(await SlaveAsync(master, ct))["id"]!;

        JsonObject Call(string type, string agent, params JsonObject[] volumes) => new()
        {
            ["type"] = type,
            [type.ToLowerInvariant()] = new JsonObject { ["agent_id"] = Id(agent), ["volumes"] = new JsonArray([.. volumes]) },
        };

        var (status, body) = await client.CallAsync(Call("CREATE_VOLUMES", "no-such-agent", Volume(10, "eng", "db")), ct);
        Assert.Equal(400, status);
        Assert.Contains("No agent found with specified ID 'no-such-agent'", body, StringComparison.Ordinal);

        (status, body) = await client.CallAsync(Call("CREATE_VOLUMES", agentId, Volume(10, null, "db")), ct);
        Assert.Equal(400, status);
        Assert.Contains("Persistent volumes cannot be created from unreserved resources", body, StringComparison.Ordinal);

        (status, body) = await client.CallAsync(Call("CREATE_VOLUMES", agentId, Volume(10, "eng", "db", "/etc")), ct);
        Assert.Equal(400, status);
        Assert.Contains("Absolute container path '/etc' is not supported for persistent volume", body, StringComparison.Ordinal);

        (status, body) = await client.CallAsync(Call("CREATE_VOLUMES", agentId, Volume(60, "eng", "db")), ct);
        Assert.True(status == 202, body);

        // The checkpointed resources reach the agent with the volume in them.
        while (true)
        {
            Assert.True(await attach.ResponseStream.MoveNext(ct));
            if (attach.ResponseStream.Current.CheckpointResources is { } checkpoint && checkpoint.Resources.Any(r => r.Disk?.Persistence?.Id == "db"))
            {
                break;
            }
        }

        (status, body) = await client.CallAsync(Call("CREATE_VOLUMES", agentId, Volume(10, "eng", "db", "other")), ct);
        Assert.Equal(400, status);
        Assert.Contains("Persistence ID 'db' is not unique", body, StringComparison.Ordinal);

        (status, body) = await client.CallAsync(Call("CREATE_VOLUMES", agentId, Volume(60, "eng", "more")), ct);
        Assert.Equal(409, status);
        Assert.Contains("does not have disk(eng):60 free to create volumes", body, StringComparison.Ordinal);

        (status, body) = await client.CallAsync(Call("DESTROY_VOLUMES", agentId, Volume(60, "eng", "nope")), ct);
        Assert.Equal(400, status);
        Assert.Contains("Persistent volumes not found", body, StringComparison.Ordinal);

        var agentsJson = (await client.GetAsync("GET_AGENTS", ct)).ToJsonString();
        Assert.Contains("\"disk\":{\"persistence\":{\"id\":\"db\"},\"volume\":{\"mode\":\"RW\",\"container_path\":\"data\"}}", agentsJson, StringComparison.Ordinal);

        // A task using the volume keeps it from being destroyed.
        using var scheduler = new SchedulerHttpClient(master.Port);
        await scheduler.SubscribeAsync(new JsonObject { ["user"] = System.Environment.UserName, ["name"] = "user", ["role"] = "eng" }, ct);
        var offer = await NextOfferAsync(scheduler, o => HasVolume(o, "db"), ct);
        (status, body) = await scheduler.CallAsync("ACCEPT", Accept(offer, Launch(offer, "user", "sleep 1000", Volume(60, "eng", "db"))), ct);
        Assert.True(status == 202, body);
        await scheduler.NextAsync(e => (string?)e["type"] == "UPDATE" || (string?)e["type"] == "OFFERS", ct);
        (status, body) = await client.CallAsync(Call("DESTROY_VOLUMES", agentId, Volume(60, "eng", "db")), ct);
        Assert.Equal(400, status);
        Assert.Contains("Persistent volumes in use", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LegacyCreateAndDestroyVolumes_TakeAFormWithSlaveIdAndAJsonArray()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        var agents = new AgentRegistry.AgentRegistryClient(master.Channel);
        using var attach = agents.Attach(new AttachRequest { AgentInfo = AgentInfo("cpus:4;mem:1024;disk(eng):100") }, cancellationToken: ct);
        Assert.True(await attach.ResponseStream.MoveNext(ct));
        var agentId = (string)(await SlaveAsync(master, ct))["id"]!;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}") };
        async Task<(int Status, string Body)> PostAsync(string path, params (string Key, string Value)[] form)
        {
            using var response = await http.PostAsync(path, new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Key, f.Value))), ct);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        }

        var volumes = new JsonArray(Volume(40, "eng", "db")).ToJsonString();

        var (status, body) = await PostAsync("/master/create-volumes", ("volumes", volumes));
        Assert.Equal(400, status);
        Assert.Equal("Missing 'slaveId' query parameter in the request body", body);
        (status, body) = await PostAsync("/master/create-volumes", ("slaveId", agentId), ("volumes", "[{"));
        Assert.Equal(400, status);
        Assert.StartsWith("Error in parsing 'volumes' query parameter in the request body", body, StringComparison.Ordinal);
        (status, body) = await PostAsync("/master/create-volumes", ("slaveId", "nope"), ("volumes", volumes));
        Assert.Equal(400, status);
        Assert.Contains("No agent found", body, StringComparison.Ordinal);

        (status, body) = await PostAsync("/master/create-volumes", ("slaveId", agentId), ("volumes", volumes));
        Assert.True(status == 202, body);
        Assert.Contains((await SlaveAsync(master, ct))["reserved_resources_full"]!["eng"]!.AsArray(), r => (string?)r!["disk"]?["persistence"]?["id"] == "db");
        (status, body) = await PostAsync("/destroy-volumes", ("slaveId", agentId), ("volumes", volumes));
        Assert.True(status == 202, body);
        Assert.DoesNotContain((await SlaveAsync(master, ct))["reserved_resources_full"]!["eng"]!.AsArray(), r => r!["disk"] is not null);
    }

    [Fact]
    public async Task AVolume_OutlivesAnAgentRestart_AndTheRestartedAgentRemovesItWhenDestroyed()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        var workDir = TempDirectory.Create("volumes-restart");
        await using var master = await TestMaster.StartAsync();
        using var client = new OperatorHttpClient(master.Port);
        JsonObject Call(string type, string agent) => new()
        {
            ["type"] = type,
            [type.ToLowerInvariant()] = new JsonObject { ["agent_id"] = Id(agent), ["volumes"] = new JsonArray(Volume(50, "eng", "db")) },
        };
        var volumeDirectory = Path.Combine(workDir, "volumes", "roles", "eng", "db");

        string agentId;
        await using (var first = await EndToEndTests.StartAgentAsync(master.Port, workDir, "cpus:1;mem:256;disk(eng):100"))
        {
            agentId = await first.WaitForRegistrationAsync(ct);
            var (status, body) = await client.CallAsync(Call("CREATE_VOLUMES", agentId), ct);
            Assert.True(status == 202, body);
            while (!Directory.Exists(volumeDirectory))
            {
                await Task.Delay(50, ct);
            }

            await File.WriteAllTextAsync(Path.Combine(volumeDirectory, "data"), "kept", ct);
        }

        await using var second = await EndToEndTests.StartAgentAsync(master.Port, workDir, "cpus:1;mem:256;disk(eng):100");
        Assert.Equal(agentId, await second.WaitForRegistrationAsync(ct));
        Assert.Equal("kept", await File.ReadAllTextAsync(Path.Combine(volumeDirectory, "data"), ct));

        var (destroyed, message) = await client.CallAsync(Call("DESTROY_VOLUMES", agentId), ct);
        Assert.True(destroyed == 202, message);
        while (Directory.Exists(volumeDirectory))
        {
            await Task.Delay(50, ct);
        }
    }

    [Fact]
    public async Task GrpcOperatorCreateVolumes_OfUnreservedDisk_IsInvalidArgument()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        var agents = new AgentRegistry.AgentRegistryClient(master.Channel);
        using var attach = agents.Attach(new AttachRequest { AgentInfo = AgentInfo("cpus:4;mem:1024;disk(eng):100;disk:50") }, cancellationToken: ct);
        Assert.True(await attach.ResponseStream.MoveNext(ct));
        var client = new Operator.OperatorClient(master.Channel);
        var agentId = (string)(await SlaveAsync(master, ct))["id"]!;
        static Protocol.V1.Resource Disk(string role) => new()
        {
            Name = "disk",
            Type = Value.Types.Type.Scalar,
            Scalar = new Value.Types.Scalar { Value = 10 },
            Role = role,
            Disk = new DiskInfo { Persistence = new DiskInfo.Types.Persistence { Id = "db" }, Volume = new Protocol.V1.Volume { ContainerPath = "data", Mode = Protocol.V1.Volume.Types.Mode.Rw } },
        };

        var unreserved = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.CreateVolumesAsync(new CreateVolumesRequest { AgentId = agentId, Volumes = { Disk("*") } }, cancellationToken: ct));
        Assert.Equal(StatusCode.InvalidArgument, unreserved.StatusCode);
        Assert.Contains("unreserved resources", unreserved.Status.Detail, StringComparison.Ordinal);

        await client.CreateVolumesAsync(new CreateVolumesRequest { AgentId = agentId, Volumes = { Disk("eng") } }, cancellationToken: ct);
        await client.DestroyVolumesAsync(new DestroyVolumesRequest { AgentId = agentId, Volumes = { Disk("eng") } }, cancellationToken: ct);
        Assert.Equal(100.0, (double)(await SlaveAsync(master, ct))["reserved_resources"]!["eng"]!["disk"]!);
    }
}
