using Mesos.Core.Agents;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Events;
using Mesos.Core.Ids;
using Mesos.Core.Maintenance;
using Mesos.Core.Tasks;
using Mesos.Tests.Core.Scenarios;
using static Mesos.Tests.Core.Decisions.MaintenanceDecisionTests;
using TaskStatus = Mesos.Core.Tasks.TaskStatus;

namespace Mesos.Tests.Core.Decisions;

/// <summary>
/// Draining and maintenance on the same machine, as Mesos 1.11 has them (<c>Master::Http::drainAgent</c>,
/// <c>_updateMaintenanceSchedule</c>, <c>_startMaintenance</c>): DRAIN_AGENT refuses a registered agent whose machine is
/// in the maintenance schedule; a schedule and START_MAINTENANCE do not look at drains at all.
/// </summary>
public sealed class DrainAndMaintenanceTests
{
    private static DrainAgent Drain(AgentId agent) => new(agent, null, false) { Principal = "operator" };

    [Theory]
    [InlineData("A1", "10.0.0.1", "A1 (10.0.0.1)")]
    [InlineData("a1", "10.0.0.1", "a1 (10.0.0.1)")]
    public void Drain_ARegisteredAgentOnAScheduledMachine_IsRefusedWithMesosMessage_NamingTheScheduledMachine(string hostname, string ip, string named)
    {
        var (b, agent, _) = AgentWithIp("a1", "10.0.0.1");
        b.Execute(Schedule(new MachineId(hostname, ip)));

        var error = DecideSpec.When(b, Drain(agent)).ThenError(DecideErrorKind.InvalidArgument);

        Assert.Equal($"Agent {agent} is part of a maintenance schedule under Machine {named}", error.Message);
    }

    [Fact]
    public void Drain_ADisconnectedAgentOnAScheduledMachine_IsRefusedToo()
    {
        var (b, agent, machine) = AgentWithIp();
        b.Execute(Schedule(machine));
        b.Append(new AgentDisconnected(agent) { At = b.Now, Principal = "a1" });

        var error = DecideSpec.When(b, Drain(agent)).ThenError(DecideErrorKind.InvalidArgument);

        Assert.Equal(DrainDecisions.InMaintenanceSchedule(agent, machine), error.Message);
    }

    [Fact]
    public void Drain_AnUnreachableAgentOnAScheduledMachine_StartsDraining_AsMesosChecksOnlyRegisteredAgents()
    {
        var (b, agent, machine) = AgentWithIp();
        b.Execute(Schedule(machine));
        b.Append(new AgentMarkedUnreachable(agent) { At = b.Now, Principal = "master" });

        DecideSpec.When(b, Drain(agent)).ThenEvents(new AgentDrainStarted(agent, null, false) { At = b.Now, Principal = "operator" });
    }

    [Fact]
    public void Drain_AnAgentWhoseMachineIsDown_IsUnknown_ForStartMaintenanceRemovedIt()
    {
        var (b, agent, machine) = AgentWithIp();
        b.Execute(Schedule(machine));
        b.Execute(new StartMaintenance([machine]) { Principal = "operator" });

        var error = DecideSpec.When(b, Drain(agent)).ThenError(DecideErrorKind.InvalidArgument);

        Assert.Equal(DrainDecisions.UnknownAgent, error.Message);
    }

    [Fact]
    public void Drain_WhenTheScheduleNamesOtherMachines_OrTheHostnameWithoutTheAgentsIp_StartsDraining()
    {
        var (b, agent, _) = AgentWithIp("a1", "10.0.0.1");
        b.Execute(Schedule(new MachineId("a1", string.Empty), new MachineId("a1", "10.0.0.2"), new MachineId(string.Empty, "10.0.0.1")));

        DecideSpec.When(b, Drain(agent)).ThenEvents(
            new AgentDrainStarted(agent, null, false) { At = b.Now, Principal = "operator" },
            new AgentDrained(agent) { At = b.Now, Principal = "operator" });
    }

    [Fact]
    public void ScheduleAndStartMaintenance_OnTheMachineOfADrainingAgent_AreAllowed_AsInMesos()
    {
        var (b, agent, machine) = AgentWithIp();
        var framework = b.Subscribe();
        var task = b.RunningTask(framework, agent, "t1");
        b.Execute(Drain(agent));
        Assert.Equal(DrainState.Draining, b.State.Agents[agent].Drain!.State);

        var schedule = Schedule(machine);
        DecideSpec.When(b, schedule).ThenEvents(new MaintenanceScheduleUpdated(schedule.Windows) { At = b.Now, Principal = "operator" });
        b.Execute(schedule);

        DecideSpec.When(b, new StartMaintenance([machine]) { Principal = "operator" }).ThenEvents(
            new TaskStatusUpdated(framework, task.TaskId, agent, new TaskStatus(
                TaskState.Lost, TaskReason.AgentRemoved, "Slave a1 removed: Operator initiated 'Machine DOWN'", StatusSource.Master, null, b.Now)) { At = b.Now, Principal = "operator" },
            new AgentRemoved(agent, MaintenanceDecisions.MachineDownReason) { At = b.Now, Principal = "operator" },
            new MachinesDown([machine]) { At = b.Now, Principal = "operator" });
    }
}
