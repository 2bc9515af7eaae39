using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using Mesos.Core.Resources;
using Mesos.Protocol.Mapping;
using Mesos.Protocol.V1;
using Mesos.Tests.Integration;
using WireMaster = Mesos.Protocol.Wire.Master;

namespace Mesos.Tests.Api.Http;

/// <summary>GROW_VOLUME and SHRINK_VOLUME over Mesos' v1 HTTP APIs (and our gRPC operator edge), against a real master.</summary>
public sealed class VolumeResizeHttpApiTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static JsonObject Id(string value) => new() { ["value"] = value };

    private static JsonObject Disk(double value, string role, string? principal = null)
    {
        var disk = new JsonObject { ["name"] = "disk", ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = value }, ["role"] = role };
        if (principal is not null)
        {
            disk["reservation"] = new JsonObject { ["principal"] = principal };
        }

        return disk;
    }

    private static JsonObject Volume(double value, string role, string id, string? principal = null)
    {
        var volume = Disk(value, role, principal);
        volume["disk"] = new JsonObject
        {
            ["persistence"] = principal is null ? new JsonObject { ["id"] = id } : new JsonObject { ["id"] = id, ["principal"] = principal },
            ["volume"] = new JsonObject { ["container_path"] = "data", ["mode"] = "RW" },
        };
        return volume;
    }

    private static JsonObject Operation(string type, JsonObject body) => new() { ["type"] = type, [type.ToLowerInvariant()] = body };

    private static JsonObject GrowOperation(JsonObject volume, JsonObject addition) =>
        Operation("GROW_VOLUME", new JsonObject { ["volume"] = volume.DeepClone(), ["addition"] = addition });

    private static JsonObject ShrinkOperation(JsonObject volume, double subtract) =>
        Operation("SHRINK_VOLUME", new JsonObject { ["volume"] = volume.DeepClone(), ["subtract"] = new JsonObject { ["value"] = subtract } });

    private static JsonObject Accept(JsonObject offer, params JsonObject[] operations) => new()
    {
        ["offer_ids"] = new JsonArray(offer["id"]!.DeepClone()),
        ["operations"] = new JsonArray([.. operations]),
        ["filters"] = new JsonObject { ["refuse_seconds"] = 0 },
    };

    private static JsonObject Launch(JsonObject offer, string taskId, string command, params JsonObject[] resources) => Operation("LAUNCH", new JsonObject
    {
        ["task_infos"] = new JsonArray(new JsonObject
        {
            ["name"] = taskId,
            ["task_id"] = Id(taskId),
            ["agent_id"] = offer["agent_id"]!.DeepClone(),
            ["resources"] = new JsonArray([
                new JsonObject { ["name"] = "cpus", ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = 0.1 } },
                new JsonObject { ["name"] = "mem", ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = 32 } },
                .. resources]),
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

    /// <summary>The size of volume <paramref name="id"/> in the offer, or null.</summary>
    private static double? VolumeSize(JsonArray resources, string id) =>
        resources.FirstOrDefault(r => (string?)r!["disk"]?["persistence"]?["id"] == id) is { } volume ? (double)volume["scalar"]!["value"]! : null;

    private static async Task<JsonObject> SlaveAsync(TestMaster master, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}") };
        var slaves = JsonNode.Parse(await http.GetStringAsync("/master/slaves", ct))!;
        return Assert.Single(slaves["slaves"]!.AsArray())!.AsObject();
    }

    [Fact]
    public async Task AFramework_GrowsThenShrinksItsVolume_ThroughAccept_AndTheDataStays()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        await using var agent = await EndToEndTests.StartAgentAsync(master.Port, resources: "cpus:2;mem:512;disk:300");
        await agent.WaitForRegistrationAsync(ct);
        using var scheduler = new SchedulerHttpClient(master.Port);
        await scheduler.SubscribeAsync(new JsonObject { ["user"] = System.Environment.UserName, ["name"] = "db", ["role"] = "eng", ["principal"] = "db-principal" }, ct);
        var volume = Volume(60, "eng", "db", "db-principal");
        var volumeDirectory = Path.Combine(agent.Options.WorkDir, "volumes", "roles", "eng", "db");

        var offer = await NextOfferAsync(scheduler, _ => true, ct);
        var (status, body) = await scheduler.CallAsync("ACCEPT", Accept(
            offer,
            Operation("RESERVE", new JsonObject { ["resources"] = new JsonArray(Disk(100, "eng", "db-principal")) }),
            Operation("CREATE", new JsonObject { ["volumes"] = new JsonArray(volume.DeepClone()) })), ct);
        Assert.True(status == 202, body);
        while (!Directory.Exists(volumeDirectory))
        {
            await Task.Delay(50, ct);
        }

        await File.WriteAllTextAsync(Path.Combine(volumeDirectory, "file"), "kept", ct);

        // GROW_VOLUME takes the rest of the reservation into the volume.
        offer = await NextOfferAsync(scheduler, o => VolumeSize(o["resources"]!.AsArray(), "db") == 60, ct);
        (status, body) = await scheduler.CallAsync("ACCEPT", Accept(offer, GrowOperation(volume, Disk(40, "eng", "db-principal"))), ct);
        Assert.True(status == 202, body);
        offer = await NextOfferAsync(scheduler, o => VolumeSize(o["resources"]!.AsArray(), "db") is not null, ct);
        Assert.Equal(100, VolumeSize(offer["resources"]!.AsArray(), "db"));
        Assert.DoesNotContain(offer["resources"]!.AsArray(), r => (string?)r!["name"] == "disk" && (string?)r["role"] == "eng" && r["disk"] is null);
        Assert.Equal(100, VolumeSize((await SlaveAsync(master, ct))["reserved_resources_full"]!["eng"]!.AsArray(), "db"));

        // A bad resize in an ACCEPT refuses the whole call: its task fails with Mesos' message and nothing changes.
        (status, body) = await scheduler.CallAsync("ACCEPT", Accept(
            offer,
            ShrinkOperation(Volume(100, "eng", "db", "db-principal"), 100),
            Launch(offer, "refused", "true")), ct);
        Assert.True(status == 202, body);
        var update = await scheduler.NextAsync(e => (string?)e["type"] == "UPDATE" && (string?)e["update"]!["status"]!["task_id"]!["value"] == "refused", ct);
        Assert.Equal("TASK_ERROR", (string?)update["update"]!["status"]!["state"]);
        Assert.Contains("Value of 'ShrinkVolume.subtract' must be smaller than the size of 'ShrinkVolume.volume'", (string?)update["update"]!["status"]!["message"], StringComparison.Ordinal);

        // SHRINK_VOLUME gives part of it back as reserved disk, which the next task runs on beside the data.
        offer = await NextOfferAsync(scheduler, o => VolumeSize(o["resources"]!.AsArray(), "db") == 100, ct);
        (status, body) = await scheduler.CallAsync("ACCEPT", Accept(
            offer,
            ShrinkOperation(Volume(100, "eng", "db", "db-principal"), 30),
            Launch(offer, "reader", "test \"$(cat data/file)\" = kept", Volume(70, "eng", "db", "db-principal"), Disk(30, "eng", "db-principal"))), ct);
        Assert.True(status == 202, body);
        while (true)
        {
            var status2 = (await scheduler.NextAsync(e => (string?)e["type"] == "UPDATE" && (string?)e["update"]!["status"]!["task_id"]!["value"] == "reader", ct))["update"]!["status"]!.AsObject();
            if (status2["uuid"] is { } uuid)
            {
                await scheduler.CallAsync("ACKNOWLEDGE", new JsonObject { ["agent_id"] = status2["agent_id"]!.DeepClone(), ["task_id"] = Id("reader"), ["uuid"] = uuid.DeepClone() }, ct);
            }

            var state = (string)status2["state"]!;
            if (state is not ("TASK_STAGING" or "TASK_STARTING" or "TASK_RUNNING"))
            {
                Assert.Equal("TASK_FINISHED", state);
                break;
            }
        }

        var reserved = (await SlaveAsync(master, ct))["reserved_resources_full"]!["eng"]!.AsArray();
        Assert.Equal(70, VolumeSize(reserved, "db"));
        Assert.Contains(reserved, r => (string?)r!["name"] == "disk" && r["disk"] is null && (double)r["scalar"]!["value"]! == 30);
        Assert.Equal("kept", await File.ReadAllTextAsync(Path.Combine(volumeDirectory, "file"), ct));
    }

    [Fact]
    public async Task OperatorGrowAndShrinkVolume_AnswerWithMesosStatusCodesAndMessages()
    {
        using var cts = new CancellationTokenSource(Patience);
        var ct = cts.Token;
        await using var master = await TestMaster.StartAsync();
        var agents = new AgentRegistry.AgentRegistryClient(master.Channel);
        using var attach = agents.Attach(
            new AttachRequest { AgentInfo = new AgentInfo { Hostname = "127.0.0.1", Port = 5051, Resources = { WireForm.Of(ResourceSet.Parse("cpus:4;mem:1024;disk(eng):100;disk:50")) } } },
            cancellationToken: ct);
        Assert.True(await attach.ResponseStream.MoveNext(ct));
        using var client = new OperatorHttpClient(master.Port);
        var agentId = (string)(await SlaveAsync(master, ct))["id"]!;

        JsonObject Grow(string? agent, JsonObject volume, JsonObject addition)
        {
            var body = new JsonObject { ["volume"] = volume.DeepClone(), ["addition"] = addition };
            if (agent is not null)
            {
                body["agent_id"] = Id(agent);
            }

            return new JsonObject { ["type"] = "GROW_VOLUME", ["grow_volume"] = body };
        }

        JsonObject Shrink(string agent, JsonObject volume, double subtract) => new()
        {
            ["type"] = "SHRINK_VOLUME",
            ["shrink_volume"] = new JsonObject { ["agent_id"] = Id(agent), ["volume"] = volume.DeepClone(), ["subtract"] = new JsonObject { ["value"] = subtract } },
        };

        async Task ExpectAsync(int status, string message, JsonObject call)
        {
            var (actual, body) = await client.CallAsync(call, ct);
            Assert.True(actual == status, $"{call.ToJsonString()}: expected {status}, got {actual} {body}");
            Assert.Contains(message, body, StringComparison.Ordinal);
        }

        async Task<double?> CheckpointedSizeAsync()
        {
            while (true)
            {
                Assert.True(await attach.ResponseStream.MoveNext(ct));
                if (attach.ResponseStream.Current.CheckpointResources is { } checkpoint && checkpoint.Resources.FirstOrDefault(r => r.Disk?.Persistence?.Id == "db") is { } volume)
                {
                    return volume.Scalar.Value;
                }
            }
        }

        var (created, createdBody) = await client.CallAsync(new JsonObject
        {
            ["type"] = "CREATE_VOLUMES",
            ["create_volumes"] = new JsonObject { ["agent_id"] = Id(agentId), ["volumes"] = new JsonArray(Volume(60, "eng", "db")) },
        }, ct);
        Assert.True(created == 202, createdBody);
        Assert.Equal(60, await CheckpointedSizeAsync());

        var describe = $"Invalid GROW_VOLUME operation on agent {agentId} at slave(1)@127.0.0.1:5051 (127.0.0.1): ";
        await ExpectAsync(400, "No agent found with specified ID 'no-such-agent'", Grow("no-such-agent", Volume(60, "eng", "db"), Disk(10, "eng")));
        await ExpectAsync(400, "Failed to validate master::Call: Expecting 'agent_id' to be present; only agent default resources are supported right now", Grow(null, Volume(60, "eng", "db"), Disk(10, "eng")));
        await ExpectAsync(400, "Failed to convert JSON into Call protobuf: Missing required fields: grow_volume.addition", new JsonObject
        {
            ["type"] = "GROW_VOLUME",
            ["grow_volume"] = new JsonObject { ["agent_id"] = Id(agentId), ["volume"] = Volume(60, "eng", "db") },
        });
        await ExpectAsync(400, describe + "Invalid persistent volume in the 'GrowVolume.volume' field: Resource disk(eng):10 does not have DiskInfo", Grow(agentId, Disk(10, "eng"), Disk(10, "eng")));
        await ExpectAsync(400, describe + "Incompatible resources in the 'GrowVolume.volume' and 'GrowVolume.addition' fields", Grow(agentId, Volume(60, "eng", "db"), Disk(10, "ops")));
        await ExpectAsync(400, describe + "The size of 'GrowVolume.addition' field must be greater than zero", Grow(agentId, Volume(60, "eng", "db"), Disk(0, "eng")));
        await ExpectAsync(409, "Invalid GROW_VOLUME Operation: ", Grow(agentId, Volume(60, "eng", "unknown"), Disk(10, "eng")));
        await ExpectAsync(409, "does not contain disk(eng):41", Grow(agentId, Volume(60, "eng", "db"), Disk(41, "eng")));

        await ExpectAsync(202, string.Empty, Grow(agentId, Volume(60, "eng", "db"), Disk(30, "eng")));
        Assert.Equal(90, await CheckpointedSizeAsync());
        var agentsJson = (await client.GetAsync("GET_AGENTS", ct))["agents"]!.AsArray()[0]!["total_resources"]!.AsArray();
        Assert.Equal(90, VolumeSize(agentsJson, "db"));

        await ExpectAsync(400, $"Invalid SHRINK_VOLUME operation on agent {agentId} at slave(1)@127.0.0.1:5051 (127.0.0.1): Value of 'ShrinkVolume.subtract' must be smaller than the size of 'ShrinkVolume.volume'",
            Shrink(agentId, Volume(90, "eng", "db"), 90));
        await ExpectAsync(400, "Value of 'ShrinkVolume.subtract' must be greater than zero", Shrink(agentId, Volume(90, "eng", "db"), -1));
        await ExpectAsync(400, "Invalid persistent volume in the 'ShrinkVolume.volume' field: Resource disk(eng):50 does not have DiskInfo", Shrink(agentId, Disk(50, "eng"), 10));
        await ExpectAsync(409, "Invalid SHRINK_VOLUME Operation: ", Shrink(agentId, Volume(60, "eng", "db"), 10));

        // The protobuf encoding (master.Call field 19, Value.Scalar subtract) reaches the same call.
        var call = new WireMaster.Call
        {
            Type = WireMaster.Call.Types.Type.ShrinkVolume,
            ShrinkVolume = new WireMaster.Call.Types.ShrinkVolume
            {
                AgentId = new Protocol.Wire.AgentID { Value = agentId },
                Volume = Protocol.Wire.Resource.Parser.ParseJson(Volume(90, "eng", "db").ToJsonString()),
                Subtract = new Protocol.Wire.Value.Types.Scalar { Value = 50 },
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1") { Content = new ByteArrayContent(call.ToByteArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        var (shrunk, shrunkBody) = await client.SendAsync(request, ct);
        Assert.True(shrunk == 202, shrunkBody);
        Assert.Equal(40, await CheckpointedSizeAsync());
        var reserved = (await SlaveAsync(master, ct))["reserved_resources_full"]!["eng"]!.AsArray();
        Assert.Equal(40, VolumeSize(reserved, "db"));
        Assert.Contains(reserved, r => (string?)r!["name"] == "disk" && r["disk"] is null && (double)r["scalar"]!["value"]! == 60);
        using (var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{master.Port}") })
        {
            var state = JsonNode.Parse(await http.GetStringAsync("/master/state", ct))!;
            Assert.Equal(100, (double)state["slaves"]![0]!["reserved_resources"]!["eng"]!["disk"]!);
        }

        // The gRPC operator edge: the same decisions, with gRPC's codes.
        var grpc = new Operator.OperatorClient(master.Channel);
        static Protocol.V1.Resource Wire(string resources) => WireForm.Of(ResourceSet.Parse(resources)).Single();
        await grpc.GrowVolumeAsync(new GrowVolumeRequest { AgentId = agentId, Volume = Wire("disk(eng)[db:data:rw]:40"), Addition = Wire("disk(eng):20") }, cancellationToken: ct);
        Assert.Equal(60, await CheckpointedSizeAsync());
        var tooMuch = await Assert.ThrowsAsync<RpcException>(async () =>
            await grpc.ShrinkVolumeAsync(new ShrinkVolumeRequest { AgentId = agentId, Volume = Wire("disk(eng)[db:data:rw]:60"), Subtract = 60 }, cancellationToken: ct));
        Assert.Equal(StatusCode.InvalidArgument, tooMuch.StatusCode);
        Assert.Contains("must be smaller than the size of 'ShrinkVolume.volume'", tooMuch.Status.Detail, StringComparison.Ordinal);
        var notANumber = await Assert.ThrowsAsync<RpcException>(async () =>
            await grpc.ShrinkVolumeAsync(new ShrinkVolumeRequest { AgentId = agentId, Volume = Wire("disk(eng)[db:data:rw]:60"), Subtract = double.NaN }, cancellationToken: ct));
        Assert.Equal(StatusCode.InvalidArgument, notANumber.StatusCode);
        Assert.Contains("subtract", notANumber.Status.Detail, StringComparison.Ordinal);
        var unknown = await Assert.ThrowsAsync<RpcException>(async () =>
            await grpc.ShrinkVolumeAsync(new ShrinkVolumeRequest { AgentId = agentId, Volume = Wire("disk(eng)[nope:data:rw]:60"), Subtract = 1 }, cancellationToken: ct));
        Assert.Equal(StatusCode.Aborted, unknown.StatusCode);
        await grpc.ShrinkVolumeAsync(new ShrinkVolumeRequest { AgentId = agentId, Volume = Wire("disk(eng)[db:data:rw]:60"), Subtract = 15 }, cancellationToken: ct);
        Assert.Equal(45, await CheckpointedSizeAsync());
    }
}
