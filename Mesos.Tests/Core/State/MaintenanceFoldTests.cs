using Mesos.Core.Agents;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.Maintenance;
using Mesos.Core.State;
using Mesos.Tests.Core.Scenarios;

namespace Mesos.Tests.Core.State;

public sealed class MaintenanceFoldTests
{
    private static readonly Unavailability Soon = new(1_767_225_600_000_000_000, 3_600_000_000_000);
    private static readonly Unavailability Later = new(1_767_312_000_000_000_000, null);

    private static (ClusterBuilder Builder, AgentId Agent, FrameworkId Framework, MachineId Machine) Draining()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        b.Append(new AgentAddressRecorded(agent, "10.0.0.1") { At = b.Now, Principal = "a1" });
        var framework = b.Subscribe();
        b.RunningTask(framework, agent, "t1");
        var machine = new MachineId("a1", "10.0.0.1");
        b.Append(new MaintenanceScheduleUpdated([new MaintenanceWindow([machine], Soon)]) { At = b.Now, Principal = "operator" });
        return (b, agent, framework, machine);
    }

    [Fact]
    [FoldsEvent(typeof(AgentAddressRecorded))]
    public void Apply_AgentAddressRecorded_NamesTheAgentsMachine()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("Host-1");

        var after = ClusterFold.Apply(b.State, new AgentAddressRecorded(agent, "10.0.0.7") { At = b.Now, Principal = "a" });

        Assert.Equal("10.0.0.7", after.Agents[agent].Ip);
        Assert.Equal(new MachineId("host-1", "10.0.0.7"), after.Agents[agent].Machine);
        Assert.Equal(new MachineId("Host-1", string.Empty), b.State.Agents[agent].Machine);
    }

    [Fact]
    [FoldsEvent(typeof(MaintenanceScheduleUpdated))]
    public void Apply_ScheduleUpdated_DrainsNewMachines_RescindsTheirAgentsOffers_AndKeepsDownMachinesDown()
    {
        var b = ClusterBuilder.WithMaster();
        var agent = b.RegisterAgent("a1");
        b.Append(new AgentAddressRecorded(agent, "10.0.0.1") { At = b.Now, Principal = "a1" });
        var other = b.RegisterAgent("a2");
        b.Subscribe();
        b.Allocate();
        Assert.Contains(b.State.Offers.Values, o => o.AgentId == agent);
        var machine = new MachineId("a1", "10.0.0.1");
        var down = new MachineId("gone", string.Empty);
        var before = b.State with
        {
            Maintenance = b.State.Maintenance with { Machines = b.State.Maintenance.Machines.Add(down, new MachineState(down, MachineMode.Down, Soon)) },
        };

        var after = ClusterFold.Apply(before, new MaintenanceScheduleUpdated([new MaintenanceWindow([machine], Soon), new MaintenanceWindow([down], Later)]) { At = b.Now, Principal = "operator" });

        Assert.Equal(new MachineState(machine, MachineMode.Draining, Soon), after.Maintenance.Machines[machine]);
        Assert.Equal(new MachineState(down, MachineMode.Down, Later), after.Maintenance.Machines[down]);
        Assert.Equal(2, after.Maintenance.Schedule.Count);
        Assert.DoesNotContain(after.Offers.Values, o => o.AgentId == agent);
        Assert.Contains(after.Offers.Values, o => o.AgentId == other);
        Assert.True(after.Agents[agent].Offered.IsEmpty);
    }

    [Fact]
    [FoldsEvent(typeof(MaintenanceScheduleUpdated))]
    public void Apply_ScheduleUpdated_Empty_BringsDrainingMachinesUp_AndForgetsTheirInverseOffersAndAnswers()
    {
        var (b, agent, framework, machine) = Draining();
        b.Append(new InverseOfferMade(new OfferId("m1-O9"), framework, agent, Soon) { At = b.Now, Principal = "allocator" });
        b.Append(new InverseOfferAnswered(new OfferId("m1-O9"), InverseOfferAnswer.Accept, null) { At = b.Now, Principal = "u" });

        var after = ClusterFold.Apply(b.State, new MaintenanceScheduleUpdated([]) { At = b.Now, Principal = "operator" });

        Assert.Equal(MachineMode.Up, after.Maintenance.ModeOf(machine));
        Assert.True(after.Maintenance.IsEmpty);
    }

    [Fact]
    [FoldsEvent(typeof(MachinesDown))]
    public void Apply_MachinesDown_MarksThemDown_KeepsTheirUnavailability()
    {
        var (b, _, _, machine) = Draining();

        var after = ClusterFold.Apply(b.State, new MachinesDown([machine]) { At = b.Now, Principal = "operator" });

        Assert.Equal(new MachineState(machine, MachineMode.Down, Soon), after.Maintenance.Machines[machine]);
    }

    [Fact]
    [FoldsEvent(typeof(MachinesUp))]
    public void Apply_MachinesUp_DropsThemFromTheModesAndTheSchedule_AndEmptiedWindows()
    {
        var (b, _, _, machine) = Draining();
        var spare = new MachineId(string.Empty, "10.0.0.9");
        b.Append(new MaintenanceScheduleUpdated([new MaintenanceWindow([machine], Soon), new MaintenanceWindow([spare, new MachineId("x", string.Empty)], Later)]) { At = b.Now, Principal = "operator" });
        b.Append(new MachinesDown([machine, spare]) { At = b.Now, Principal = "operator" });

        var after = ClusterFold.Apply(b.State, new MachinesUp([machine, spare]) { At = b.Now, Principal = "operator" });

        Assert.Equal(MachineMode.Up, after.Maintenance.ModeOf(machine));
        var window = Assert.Single(after.Maintenance.Schedule);
        Assert.Equal(new MachineId("x", string.Empty), Assert.Single(window.Machines));
        Assert.Equal(Later, window.Unavailability);
    }

    [Fact]
    [FoldsEvent(typeof(InverseOfferMade))]
    public void Apply_InverseOfferMade_IsOutstanding_AndTakesAnOfferNumber()
    {
        var (b, agent, framework, _) = Draining();

        var after = ClusterFold.Apply(b.State, new InverseOfferMade(new OfferId("m1-O9"), framework, agent, Soon) { At = b.Now, Principal = "allocator" });

        Assert.Equal(new InverseOfferState(new OfferId("m1-O9"), framework, agent, Soon, b.Now), after.Maintenance.InverseOffers[new OfferId("m1-O9")]);
        Assert.Equal(b.State.NextOfferNumber + 1, after.NextOfferNumber);
    }

    [Fact]
    [FoldsEvent(typeof(InverseOfferAnswered))]
    public void Apply_InverseOfferAnswered_ClosesIt_AndRecordsTheAnswerForItsAgent()
    {
        var (b, agent, framework, _) = Draining();
        b.Append(new InverseOfferMade(new OfferId("m1-O9"), framework, agent, Soon) { At = b.Now, Principal = "allocator" });

        var after = ClusterFold.Apply(b.State, new InverseOfferAnswered(new OfferId("m1-O9"), InverseOfferAnswer.Decline, b.Now.AddSeconds(5)) { At = b.Now, Principal = "u" });
        var unknown = ClusterFold.Apply(b.State, new InverseOfferAnswered(new OfferId("m1-O8"), InverseOfferAnswer.Decline, null) { At = b.Now, Principal = "u" });

        Assert.Empty(after.Maintenance.InverseOffers);
        Assert.Equal(new InverseOfferStatus(framework, InverseOfferAnswer.Decline, b.Now, b.Now.AddSeconds(5)), after.Maintenance.Answers[agent][framework]);
        Assert.Same(b.State, unknown);
    }

    [Fact]
    [FoldsEvent(typeof(InverseOfferRescinded))]
    public void Apply_InverseOfferRescinded_ClosesIt_WithoutAnAnswer()
    {
        var (b, agent, framework, _) = Draining();
        b.Append(new InverseOfferMade(new OfferId("m1-O9"), framework, agent, Soon) { At = b.Now, Principal = "allocator" });

        var after = ClusterFold.Apply(b.State, new InverseOfferRescinded(new OfferId("m1-O9"), "Agent is not active") { At = b.Now, Principal = "allocator" });

        Assert.Empty(after.Maintenance.InverseOffers);
        Assert.Empty(after.Maintenance.Answers);
        Assert.Equal(AgentStatus.Active, after.Agents[agent].Status);
    }
}
