using Google.Protobuf;
using Mesos.Core.Ids;
using Mesos.Master.Api.Grpc;
using Mesos.Master.Api.Http;
using Mesos.Protocol.Wire;
using Mesos.Protocol.Wire.Scheduler;
using V1 = Mesos.Protocol.V1;

namespace Mesos.Tests.Api.Http;

/// <summary>A LAUNCH whose task names an ExecutorInfo, through the x-protobuf and gRPC front ends (JSON: <see cref="ExecutorHttpApiTests"/>).</summary>
public sealed class ExecutorLaunchParsingTests
{
    private static Call AcceptWithExecutorTask(string executorFrameworkId)
    {
        var task = new TaskInfo
        {
            Name = "t",
            TaskId = new TaskID { Value = "t" },
            AgentId = new AgentID { Value = "a" },
            Executor = new ExecutorInfo
            {
                Type = ExecutorInfo.Types.Type.Custom,
                ExecutorId = new ExecutorID { Value = "x" },
                FrameworkId = new FrameworkID { Value = executorFrameworkId },
                Command = new CommandInfo { Value = "./executor" },
                ShutdownGracePeriod = new DurationInfo { Nanoseconds = 2_000_000_000 },
            },
        };
        task.Resources.Add(new Resource { Name = "cpus", Type = Value.Types.Type.Scalar, Scalar = new Value.Types.Scalar { Value = 0.5 } });
        task.Executor.Resources.Add(new Resource { Name = "mem", Type = Value.Types.Type.Scalar, Scalar = new Value.Types.Scalar { Value = 32 } });
        var accept = new Call.Types.Accept { OfferIds = { new OfferID { Value = "o" } } };
        accept.Operations.Add(new Offer.Types.Operation { Type = Offer.Types.Operation.Types.Type.Launch, Launch = new Offer.Types.Operation.Types.Launch { TaskInfos = { task } } });
        return new Call { FrameworkId = new FrameworkID { Value = "f" }, Type = Call.Types.Type.Accept, Accept = accept };
    }

    [Fact]
    public void ProtobufAccept_CarriesTheTasksExecutorInfo_IntoTheCoreCommand()
    {
        var call = SchedulerCallJson.Parse(WireEncoding.ProtobufToJson(Call.Parser, AcceptWithExecutorTask("f").ToByteArray()));

        var launch = Assert.Single(((V1.AcceptRequest)call.Payload!).Launch);
        var task = ProtoMapping.ToCore(launch);
        var executor = ExecutorMapping.ExecutorsOf([launch], new FrameworkId("f"))[new TaskId("t")];

        Assert.Null(task.Command);
        Assert.Equal(new ExecutorId("x"), executor.ExecutorId);
        Assert.Equal("./executor", executor.Command.Value);
        Assert.Equal(Mesos.Core.Resources.ResourceSet.Parse("mem:32"), executor.Resources);
        Assert.Equal(TimeSpan.FromSeconds(2), executor.ShutdownGracePeriod);
    }

    [Fact]
    public void AnExecutorInfoNamingAnotherFramework_IsRefusedNamingBoth()
    {
        var call = SchedulerCallJson.Parse(WireEncoding.ProtobufToJson(Call.Parser, AcceptWithExecutorTask("other").ToByteArray()));
        var launch = ((V1.AcceptRequest)call.Payload!).Launch;

        var error = Assert.Throws<WireFormatException>(() => ExecutorMapping.ExecutorsOf(launch, new FrameworkId("f")));

        Assert.Contains("ExecutorInfo has an invalid FrameworkID (Actual: other vs Expected: f)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GrpcTaskWithBothCommandAndExecutor_IsRefused()
    {
        var task = new V1.TaskInfo
        {
            TaskId = "t",
            AgentId = "a",
            Command = new V1.CommandInfo { Value = "true" },
            Executor = new V1.ExecutorInfo { ExecutorId = "x", Command = new V1.CommandInfo { Value = "./executor" } },
        };

        var error = Assert.Throws<WireFormatException>(() => ProtoMapping.ToCore(task));

        Assert.Contains("at least one (but not both) of CommandInfo or ExecutorInfo", error.Message, StringComparison.Ordinal);
    }
}
