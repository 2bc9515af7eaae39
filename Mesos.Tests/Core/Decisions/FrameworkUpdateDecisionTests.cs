using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.Decisions;

/// <summary>UPDATE_FRAMEWORK and SHUTDOWN as Mesos 1.11 decides them (update_framework_tests.cpp, scheduler_tests.cpp).</summary>
public sealed class FrameworkUpdateDecisionTests
{
    private static readonly FrameworkInfo Multi = TestCluster.Framework("spark", ["eng", "ops"], 3600, FrameworkCapability.MultiRole);

    [Fact]
    public void Update_MutableFields_RecordsTheWholeNewInfoAndSuppressedRoles()
    {
        var b = ClusterBuilder.WithMaster();
        var f = b.Subscribe(Multi);
        var info = Multi with
        {
            Name = "spark-2",
            FailoverTimeoutSeconds = 4600,
            Hostname = "spark.foo",
            WebUiUrl = "http://spark/foo",
            Roles = ["eng", "ops", "new_role"],
            Capabilities = [FrameworkCapability.MultiRole, FrameworkCapability.RegionAware],
        };

        DecideSpec.When(b, new UpdateFramework(f, info, ["new_role", "eng"]) { Principal = "spark" })
            .ThenEvents(new FrameworkUpdated(f, info, ["eng", "new_role"]) { At = b.Now, Principal = "spark" });
    }

    [Fact]
    public void Update_ThatChangesNothing_AppendsNothing()
    {
        var b = ClusterBuilder.WithMaster();
        var f = b.Subscribe(Multi);

        DecideSpec.When(b, new UpdateFramework(f, Multi, []) { Principal = "spark" }).ThenNothing();
    }

    [Fact]
    public void Update_LeavingARole_RescindsItsOffers_SuppressingOneKeepsThem()
    {
        var b = ClusterBuilder.WithMaster();
        b.RegisterAgent("a1");
        b.RegisterAgent("a2");
        var f = b.Subscribe(Multi);
        var offers = b.Allocate();
        var left = offers[0].Role;
        var kept = left == "eng" ? "ops" : "eng";
        var info = Multi with { Roles = [kept] };

        var events = b.Decide(new UpdateFramework(f, info, [kept]) { Principal = "spark" }).Events;

        var rescinded = events.OfType<OfferRescinded>().Select(r => r.OfferId).ToHashSet();
        Assert.Equal(offers.Where(o => o.Role == left).Select(o => o.Id).ToHashSet(), rescinded);
        Assert.IsType<FrameworkUpdated>(events[^1]);
    }

    [Theory]
    [InlineData("principal", "Changing framework's principal is not allowed.")]
    [InlineData("user", "Updating 'FrameworkInfo.user' is unsupported; attempted to update from 'root' to 'nobody'")]
    [InlineData("checkpoint", "Updating 'FrameworkInfo.checkpoint' is unsupported; attempted to update from 'true' to 'false'")]
    public void Update_OfWhoTheFrameworkRunsAs_IsRefusedWithMesosMessage(string field, string message)
    {
        var b = ClusterBuilder.WithMaster();
        var f = b.Subscribe(Multi);
        var info = field switch
        {
            "principal" => Multi with { Principal = "someone-else" },
            "user" => Multi with { User = "nobody" },
            _ => Multi with { Checkpoint = false },
        };

        var error = b.Decide(new UpdateFramework(f, info with { Name = "changed" }, []) { Principal = "spark" }).ThenError(DecideErrorKind.InvalidArgument);

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Update_SuppressingARoleTheFrameworkIsNotIn_IsRefused()
    {
        var b = ClusterBuilder.WithMaster();
        var f = b.Subscribe(Multi);

        var error = b.Decide(new UpdateFramework(f, Multi, ["dev"]) { Principal = "spark" }).ThenError(DecideErrorKind.InvalidArgument);

        Assert.Equal("Suppressed role 'dev' is not contained in the list of roles", error.Message);
    }

    [Fact]
    public void Update_WithSeveralRolesButNoMultiRole_IsRefusedAsSubscribeIs()
    {
        var b = ClusterBuilder.WithMaster();
        var f = b.Subscribe(TestCluster.Framework("solo"));

        b.Decide(new UpdateFramework(f, TestCluster.Framework("solo", ["a", "b"]), []) { Principal = "solo" })
            .ThenError(DecideErrorKind.InvalidArgument, "MULTI_ROLE");
    }

    [Fact]
    public void Update_OfAnUnknownOrDisconnectedFramework_IsRefused()
    {
        var b = ClusterBuilder.WithMaster();
        var f = b.Subscribe(Multi);
        b.Execute(new DisconnectFramework(f) { Principal = "m" });

        b.Decide(new UpdateFramework(f, Multi with { Name = "x" }, []) { Principal = "spark" }).ThenError(DecideErrorKind.PermissionDenied);
        var unknown = b.Decide(new UpdateFramework(new FrameworkId("nope"), Multi, []) { Principal = "spark" }).ThenError(DecideErrorKind.NotFound);
        Assert.Equal("Framework with id nope does not exist", unknown.Message);
    }

    [Fact]
    public void Shutdown_OfARunningCustomExecutor_IsRecorded_AnUnknownOneIsRefused()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent();
        var f = b.Subscribe();
        var offer = b.Allocate().Single();
        var executor = new Mesos.Core.Tasks.ExecutorInfo(new ExecutorId("x1"), "custom", new Mesos.Core.Tasks.CommandInfo("./executor", true, [], [], null), TestCluster.Res("cpus:0.1;mem:32"), null);
        b.Append(new TaskLaunchedOnExecutor(f, TestCluster.Task("t1", agent, "cpus:1;mem:128") with { Command = null }, executor, offer.Id) { At = b.Now, Principal = "f" });

        DecideSpec.When(b, new ShutdownExecutor(f, agent, new ExecutorId("x1")) { Principal = "f" })
            .ThenEvents(new ExecutorShutdownRequested(f, agent, new ExecutorId("x1")) { At = b.Now, Principal = "f" });
        b.Decide(new ShutdownExecutor(f, agent, new ExecutorId("x2")) { Principal = "f" }).ThenError(DecideErrorKind.NotFound, "x2");
        b.Decide(new ShutdownExecutor(f, new AgentId("elsewhere"), new ExecutorId("x1")) { Principal = "f" }).ThenError(DecideErrorKind.NotFound, "elsewhere");
    }
}
