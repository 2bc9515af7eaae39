using Mesos.Core.Agents;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.Maintenance;
using Mesos.Core.Tasks;
using Mesos.Tests.Core.Scenarios;
using TaskStatus = Mesos.Core.Tasks.TaskStatus;

namespace Mesos.Tests.Core.Decisions;

/// <summary>Maintenance (schedule, machine down and up, inverse offers): given events, when a command, then events or Mesos' error.</summary>
public sealed class MaintenanceDecisionTests
{
    private static readonly Unavailability Soon = new(1_767_225_600_000_000_000, 3_600_000_000_000);

    internal static (ClusterBuilder Builder, AgentId Agent, MachineId Machine) AgentWithIp(string hostname = "a1", string ip = "10.0.0.1")
    {
        var b = ClusterBuilder.WithMaster();
        var events = b.Execute(new RegisterAgent(TestCluster.Agent(hostname)) { Principal = hostname, Ip = ip });
        var agent = ((AgentRegistered)events[0]).AgentId;
        Assert.Equal(new AgentAddressRecorded(agent, ip) { At = b.Now, Principal = hostname }, events[1]);
        return (b, agent, new MachineId(hostname, ip));
    }

    internal static UpdateMaintenanceSchedule Schedule(params MachineId[] machines) =>
        new([new MaintenanceWindow([.. machines], Soon)]) { Principal = "operator" };

    [Fact]
    public void Register_RecordsTheAgentsIp_OnlyWhenTheLogDoesNotHoldIt()
    {
        var (b, agent, _) = AgentWithIp();

        var same = b.Decide(new ReregisterAgent(agent, TestCluster.Agent("a1"), []) { Principal = "a1", Ip = "10.0.0.1" });
        var moved = b.Decide(new ReregisterAgent(agent, TestCluster.Agent("a1"), []) { Principal = "a1", Ip = "10.0.0.2" });

        Assert.IsType<AgentReregistered>(Assert.Single(same.Events));
        Assert.Equal(new AgentAddressRecorded(agent, "10.0.0.2") { At = b.Now, Principal = "a1" }, moved.Events[1]);
    }

    [Fact]
    public void UpdateSchedule_Valid_RecordsTheWindows()
    {
        var (b, _, machine) = AgentWithIp();
        var command = Schedule(machine, new MachineId(string.Empty, "10.0.0.9"));

        DecideSpec.When(b, command).ThenEvents(new MaintenanceScheduleUpdated(command.Windows) { At = b.Now, Principal = "operator" });
    }

    public static TheoryData<string, string> BadSchedules => new()
    {
        { "empty window", "List of machines in the maintenance window is empty" },
        { "negative duration", "Unavailability 'duration' is negative" },
        { "nameless machine", "Both 'hostname' and 'ip' for a machine are empty" },
        { "bad ip", "Failed to parse IPv4: 10.0.0" },
        { "twice", "Machine 'hostname: \"a1\"\nip: \"10.0.0.1\"\n' appears more than once in the schedule" },
        { "twice across windows, other case", "Machine 'hostname: \"A1\"\nip: \"10.0.0.1\"\n' appears more than once in the schedule" },
    };

    [Theory]
    [MemberData(nameof(BadSchedules))]
    public void UpdateSchedule_Invalid_IsRefusedWithMesosMessage(string bad, string message)
    {
        var (b, _, machine) = AgentWithIp();
        MaintenanceWindow[] windows = bad switch
        {
            "empty window" => [new MaintenanceWindow([], Soon)],
            "negative duration" => [new MaintenanceWindow([machine], Soon with { DurationNanoseconds = -1 })],
            "nameless machine" => [new MaintenanceWindow([new MachineId(string.Empty, string.Empty)], Soon)],
            "bad ip" => [new MaintenanceWindow([new MachineId("a1", "10.0.0")], Soon)],
            "twice" => [new MaintenanceWindow([machine, machine], Soon)],
            _ => [new MaintenanceWindow([machine], Soon), new MaintenanceWindow([machine with { Hostname = "A1" }], Soon)],
        };

        var error = DecideSpec.When(b, new UpdateMaintenanceSchedule([.. windows]) { Principal = "operator" }).ThenError(DecideErrorKind.InvalidArgument);

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void UpdateSchedule_ThatDropsADownMachine_IsRefused()
    {
        var (b, _, machine) = AgentWithIp();
        b.Execute(Schedule(machine));
        b.Execute(new StartMaintenance([machine]) { Principal = "operator" });

        var error = DecideSpec.When(b, new UpdateMaintenanceSchedule([]) { Principal = "operator" }).ThenError(DecideErrorKind.InvalidArgument);

        Assert.Equal("Machine 'hostname: \"a1\"\nip: \"10.0.0.1\"\n' is deactivated and cannot be removed from the schedule", error.Message);
    }

    [Fact]
    public void StartMaintenance_RemovesTheMachinesAgents_TheirTasksLost_ThenTheMachineIsDown()
    {
        var (b, agent, machine) = AgentWithIp();
        var other = b.RegisterAgent("a2");
        var framework = b.Subscribe();
        var task = b.RunningTask(framework, agent, "t1");
        b.RunningTask(framework, other, "t2");
        b.Execute(Schedule(machine));

        DecideSpec.When(b, new StartMaintenance([machine]) { Principal = "operator" }).ThenEvents(
            new TaskStatusUpdated(framework, task.TaskId, agent, new TaskStatus(
                TaskState.Lost, TaskReason.AgentRemoved, "Slave a1 removed: Operator initiated 'Machine DOWN'", StatusSource.Master, null, b.Now)) { At = b.Now, Principal = "operator" },
            new AgentRemoved(agent, MaintenanceDecisions.MachineDownReason) { At = b.Now, Principal = "operator" },
            new MachinesDown([machine]) { At = b.Now, Principal = "operator" });
    }

    [Theory]
    [InlineData("unscheduled", "Machine '{\"hostname\":\"a9\",\"ip\":\"10.0.0.9\"}' is not part of a maintenance schedule")]
    [InlineData("down", "Machine '{\"hostname\":\"a1\",\"ip\":\"10.0.0.1\"}' is not in DRAINING mode and cannot be brought down")]
    [InlineData("none", "List of machines is empty")]
    [InlineData("twice", "Machine 'hostname: \"a1\"\nip: \"10.0.0.1\"\n' appears more than once in the schedule")]
    public void StartMaintenance_Invalid_IsRefusedWithMesosMessage(string bad, string message)
    {
        var (b, _, machine) = AgentWithIp();
        b.Execute(Schedule(machine));
        if (bad == "down")
        {
            b.Execute(new StartMaintenance([machine]) { Principal = "operator" });
        }

        MachineId[] machines = bad switch
        {
            "unscheduled" => [new MachineId("a9", "10.0.0.9")],
            "none" => [],
            "twice" => [machine, machine],
            _ => [machine],
        };

        var error = DecideSpec.When(b, new StartMaintenance([.. machines]) { Principal = "operator" }).ThenError(DecideErrorKind.InvalidArgument);

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void StopMaintenance_OfADrainingMachine_IsRefused_OfADownOne_BringsItUp()
    {
        var (b, _, machine) = AgentWithIp();
        b.Execute(Schedule(machine));

        var draining = DecideSpec.When(b, new StopMaintenance([machine]) { Principal = "operator" }).ThenError(DecideErrorKind.InvalidArgument);
        b.Execute(new StartMaintenance([machine]) { Principal = "operator" });

        Assert.Equal("Machine '{\"hostname\":\"a1\",\"ip\":\"10.0.0.1\"}' is not in DOWN mode and cannot be brought up", draining.Message);
        DecideSpec.When(b, new StopMaintenance([machine]) { Principal = "operator" }).ThenEvents(new MachinesUp([machine]) { At = b.Now, Principal = "operator" });
    }

    [Fact]
    public void Register_OnADownMachine_IsRefused_AndAllowedOnceItIsUp()
    {
        var (b, agent, machine) = AgentWithIp();
        b.Execute(Schedule(machine));
        b.Execute(new StartMaintenance([machine]) { Principal = "operator" });

        DecideSpec.When(b, new RegisterAgent(TestCluster.Agent("a1")) { Principal = "a1", Ip = "10.0.0.1" }).ThenError(DecideErrorKind.FailedPrecondition, "Machine is `DOWN`");
        DecideSpec.When(b, new ReregisterAgent(agent, TestCluster.Agent("A1"), []) { Principal = "a1", Ip = "10.0.0.1" }).ThenError(DecideErrorKind.FailedPrecondition, "Machine is `DOWN`");
        Assert.IsType<AgentRegistered>(b.Decide(new RegisterAgent(TestCluster.Agent("a1")) { Principal = "a1", Ip = "10.0.0.2" }).Events[0]);

        b.Execute(new StopMaintenance([machine]) { Principal = "operator" });

        Assert.IsType<AgentRegistered>(b.Decide(new RegisterAgent(TestCluster.Agent("a1")) { Principal = "a1", Ip = "10.0.0.1" }).Events[0]);
    }

    [Fact]
    public void Allocation_MakesOneInverseOfferPerFrameworkOnADrainingAgent_AndNotAgainWhileOutstanding()
    {
        var (b, agent, machine) = AgentWithIp();
        var user = b.Subscribe(TestCluster.Framework("user"));
        b.RunningTask(user, agent, "t1");
        b.Execute(Schedule(machine));

        var first = b.Execute(new RunAllocation(1) { Principal = "allocator" });
        var again = b.Decide(new RunAllocation(2) { Principal = "allocator" });

        var inverse = Assert.Single(first.OfType<InverseOfferMade>());
        Assert.Equal((user, agent, Soon), (inverse.FrameworkId, inverse.AgentId, inverse.Unavailability));
        Assert.Equal($"m1-O{b.State.NextOfferNumber - 1}", inverse.InverseOfferId.Value);
        Assert.DoesNotContain(again.Events, e => e is InverseOfferMade);
    }

    [Fact]
    public void Answer_RecordsTheAnswer_FiltersNewInverseOffersForItsRefusal_ThenAsksAgain()
    {
        var (b, agent, machine) = AgentWithIp();
        var user = b.Subscribe(TestCluster.Framework("user"));
        b.RunningTask(user, agent, "t1");
        b.Execute(Schedule(machine));
        var inverse = b.Execute(new RunAllocation(1) { Principal = "allocator" }).OfType<InverseOfferMade>().Single();

        DecideSpec.When(b, new AnswerInverseOffers(user, [inverse.InverseOfferId, new OfferId("nope")], InverseOfferAnswer.Decline, 10) { Principal = "user" })
            .ThenEvents(new InverseOfferAnswered(inverse.InverseOfferId, InverseOfferAnswer.Decline, b.Now.AddSeconds(10)) { At = b.Now, Principal = "user" });
        b.Execute(new AnswerInverseOffers(user, [inverse.InverseOfferId], InverseOfferAnswer.Decline, 10) { Principal = "user" });

        Assert.Equal(InverseOfferAnswer.Decline, b.State.Maintenance.Answers[agent][user].Answer);
        Assert.DoesNotContain(b.Decide(new RunAllocation(2) { Principal = "allocator" }).Events, e => e is InverseOfferMade);
        b.AdvanceSeconds(11);
        Assert.Contains(b.Decide(new RunAllocation(3) { Principal = "allocator" }).Events, e => e is InverseOfferMade);
    }

    [Fact]
    public void Accept_NamingAnUnknownInverseOffer_IsIgnoredWhole_DeclineOfOnlyUnknownIdsAppendsNothing()
    {
        var (b, agent, machine) = AgentWithIp();
        var user = b.Subscribe(TestCluster.Framework("user"));
        b.RunningTask(user, agent, "t1");
        b.Execute(Schedule(machine));
        var inverse = b.Execute(new RunAllocation(1) { Principal = "allocator" }).OfType<InverseOfferMade>().Single();

        DecideSpec.When(b, new AnswerInverseOffers(user, [inverse.InverseOfferId, new OfferId("nope")], InverseOfferAnswer.Accept, null) { Principal = "user" })
            .ThenError(DecideErrorKind.NotFound, "nope");
        DecideSpec.When(b, new AnswerInverseOffers(user, [new OfferId("nope")], InverseOfferAnswer.Decline, null) { Principal = "user" }).ThenNothing();
    }

    [Fact]
    public void Allocation_RescindsInverseOffersThatNoLongerApply()
    {
        var (b, agent, machine) = AgentWithIp();
        var user = b.Subscribe(TestCluster.Framework("user"));
        b.RunningTask(user, agent, "t1");
        b.Execute(Schedule(machine));
        var inverse = b.Execute(new RunAllocation(1) { Principal = "allocator" }).OfType<InverseOfferMade>().Single();
        b.Execute(new DisconnectFramework(user) { Principal = "master" });

        var events = b.Execute(new RunAllocation(2) { Principal = "allocator" });

        Assert.Equal(new InverseOfferRescinded(inverse.InverseOfferId, "Framework is not active") { At = b.Now, Principal = "allocator" }, Assert.Single(events));
        Assert.Empty(b.State.Maintenance.InverseOffers);
        Assert.Equal(AgentStatus.Active, b.State.Agents[agent].Status);
    }
}
