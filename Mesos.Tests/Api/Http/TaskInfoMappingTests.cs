using Google.Protobuf;
using Mesos.Master.Api.Grpc;
using Mesos.Master.Api.Http;
using Mesos.Protocol.Wire;
using Mesos.Protocol.Wire.Scheduler;
using V1 = Mesos.Protocol.V1;

namespace Mesos.Tests.Api.Http;

/// <summary>
/// A TaskInfo in Mesos' own protobuf (what an x-protobuf scheduler sends) read by the master and written to its
/// agent: every field the agent uses arrives as it was sent, and absent health check timings stay absent so the
/// agent applies Mesos' defaults.
/// </summary>
public sealed class TaskInfoMappingTests
{
    private static TaskInfo WireTask()
    {
        var task = new TaskInfo
        {
            Name = "web",
            TaskId = new TaskID { Value = "web-1" },
            AgentId = new AgentID { Value = "S1" },
            Command = new CommandInfo
            {
                Value = "./serve.sh",
                User = "nobody",
                Environment = new Mesos.Protocol.Wire.Environment { Variables = { new Mesos.Protocol.Wire.Environment.Types.Variable { Name = "PORT", Value = "8080" } } },
                Uris =
                {
                    new CommandInfo.Types.URI { Value = "/srv/serve.sh", Executable = true, OutputFile = "serve.sh", Cache = true },
                    new CommandInfo.Types.URI { Value = "http://repo/site.tar.gz" },
                    new CommandInfo.Types.URI { Value = "/srv/raw.zip", Extract = false },
                },
            },
            KillPolicy = new KillPolicy { GracePeriod = new DurationInfo { Nanoseconds = 7_000_000_000 } },
            HealthCheck = new HealthCheck
            {
                Type = HealthCheck.Types.Type.Http,
                Http = new HealthCheck.Types.HTTPCheckInfo { Port = 8080, Path = "/health", Scheme = "http" },
                IntervalSeconds = 0.5,
                ConsecutiveFailures = 5,
            },
            Labels = new Labels { Labels_ = { new Label { Key = "tier", Value = "web" } } },
        };
        task.Resources.Add(new Resource { Name = "cpus", Type = Value.Types.Type.Scalar, Scalar = new Value.Types.Scalar { Value = 0.5 } });
        return task;
    }

    private static V1.AcceptRequest ReadAccept(TaskInfo task)
    {
        var accept = new Call.Types.Accept { OfferIds = { new OfferID { Value = "O1" } } };
        accept.Operations.Add(new Offer.Types.Operation { Type = Offer.Types.Operation.Types.Type.Launch, Launch = new Offer.Types.Operation.Types.Launch { TaskInfos = { task } } });
        var call = new Call { FrameworkId = new FrameworkID { Value = "F1" }, Type = Call.Types.Type.Accept, Accept = accept };

        var json = WireEncoding.ProtobufToJson(Call.Parser, call.ToByteArray());
        return Assert.IsType<V1.AcceptRequest>(SchedulerCallJson.Parse(json).Payload);
    }

    [Fact]
    public void ProtobufAccept_ReachesTheAgentWithUrisHealthCheckLabelsUserEnvironmentAndKillPolicy()
    {
        var launch = Assert.Single(ReadAccept(WireTask()).Launch);

        var toAgent = ProtoMapping.ToWire(ProtoMapping.ToCore(launch), ProtoMapping.ToCoreDetails(launch));

        Assert.Equal("./serve.sh", toAgent.Command.Value);
        Assert.Equal("nobody", toAgent.Command.User);
        Assert.Equal(("PORT", "8080"), (toAgent.Command.Environment.Variables[0].Name, toAgent.Command.Environment.Variables[0].Value));
        Assert.Equal(7_000_000_000, toAgent.KillPolicy.GracePeriodNanoseconds);
        Assert.Equal(
            [("/srv/serve.sh", true, true, true, "serve.sh"), ("http://repo/site.tar.gz", false, true, false, ""), ("/srv/raw.zip", false, false, false, "")],
            toAgent.Command.Uris.Select(u => (u.Value, u.Executable, u.Extract, u.Cache, u.OutputFile)));
        var check = toAgent.HealthCheck;
        Assert.Equal(V1.HealthCheck.Types.Type.Http, check.Type);
        Assert.Equal((8080u, "/health", "http"), (check.Http.Port, check.Http.Path, check.Http.Scheme));
        Assert.Equal(0.5, check.IntervalSeconds);
        Assert.Equal(5u, check.ConsecutiveFailures);
        Assert.False(check.HasDelaySeconds);
        Assert.False(check.HasTimeoutSeconds);
        Assert.False(check.HasGracePeriodSeconds);
        Assert.Equal(("tier", "web"), (toAgent.Labels.Labels_[0].Key, toAgent.Labels.Labels_[0].Value));
    }

    [Fact]
    public void CommandHealthCheck_KeepsItsOwnCommandAndEnvironment()
    {
        var task = WireTask();
        task.HealthCheck = new HealthCheck
        {
            Type = HealthCheck.Types.Type.Command,
            Command = new CommandInfo { Value = "curl -f localhost:$PORT", Environment = new Mesos.Protocol.Wire.Environment { Variables = { new Mesos.Protocol.Wire.Environment.Types.Variable { Name = "X", Value = "1" } } } },
            DelaySeconds = 0,
            GracePeriodSeconds = 0,
        };
        var launch = Assert.Single(ReadAccept(task).Launch);

        var check = ProtoMapping.ToWire(ProtoMapping.ToCore(launch), ProtoMapping.ToCoreDetails(launch)).HealthCheck;

        Assert.Equal(V1.HealthCheck.Types.Type.Command, check.Type);
        Assert.Equal("curl -f localhost:$PORT", check.Command.Value);
        Assert.True(check.Command.Shell);
        Assert.Equal("X", check.Command.Environment.Variables[0].Name);
        Assert.True(check.HasDelaySeconds);
        Assert.Equal(0.0, check.DelaySeconds);
        Assert.Equal(0.0, check.GracePeriodSeconds);
    }

    [Fact]
    public void TaskWithoutExtras_HasNoLaunchDetails()
    {
        var task = WireTask();
        task.HealthCheck = null;
        task.Labels = null;
        task.Command.Uris.Clear();

        var launch = Assert.Single(ReadAccept(task).Launch);

        Assert.Same(Mesos.Core.Tasks.TaskLaunchDetails.None, ProtoMapping.ToCoreDetails(launch));
    }

    [Fact]
    public void GrpcHealthCheckWithoutAType_IsAWireFormatErrorNamingTheTask()
    {
        var task = new V1.TaskInfo { TaskId = "t9", Name = "t9", Command = new V1.CommandInfo { Value = "true" }, HealthCheck = new V1.HealthCheck { Tcp = new V1.HealthCheck.Types.TCPCheckInfo { Port = 80 } } };

        var error = Assert.Throws<WireFormatException>(() => ProtoMapping.ToCoreDetails(task));

        Assert.Contains("'t9'", error.Message, StringComparison.Ordinal);
        Assert.Contains("HealthCheck must specify 'type'", error.Message, StringComparison.Ordinal);
    }
}
