using Mesos.Core.Collections;
using Mesos.Core.Ids;
using Mesos.Core.Maintenance;

namespace Mesos.Core.Events;

/// <summary>
/// UPDATE_MAINTENANCE_SCHEDULE (or <c>POST /master/maintenance/schedule</c>): the schedule is now these windows. Newly
/// scheduled machines start DRAINING, machines left out are up again, DOWN ones stay down with their new unavailability.
/// Agents on every machine it touches lose their offers and inverse offers, so the next ones carry the change.
/// </summary>
public sealed record MaintenanceScheduleUpdated(ValueArray<MaintenanceWindow> Windows) : ClusterEvent;

/// <summary>START_MAINTENANCE (<c>/master/machine/down</c>): these scheduled machines are DOWN. Their agents were removed just before.</summary>
public sealed record MachinesDown(ValueArray<MachineId> Machines) : ClusterEvent;

/// <summary>STOP_MAINTENANCE (<c>/master/machine/up</c>): these DOWN machines are up and out of the schedule; their agents may register again.</summary>
public sealed record MachinesUp(ValueArray<MachineId> Machines) : ClusterEvent;

/// <summary>
/// The IP an agent connected from, which with its hostname names its machine. Recorded when it (re-)registers from
/// an address the log does not hold yet; a log without it leaves the IP empty.
/// </summary>
public sealed record AgentAddressRecorded(AgentId AgentId, string Ip) : ClusterEvent;

/// <summary>
/// An allocation cycle asked the framework to give back what it holds on an agent of a DRAINING machine; the id comes
/// from the offers' sequence, as Mesos numbers inverse offers.
/// </summary>
public sealed record InverseOfferMade(OfferId InverseOfferId, FrameworkId FrameworkId, AgentId AgentId, Unavailability Unavailability) : ClusterEvent;

/// <summary>ACCEPT_INVERSE_OFFERS or DECLINE_INVERSE_OFFERS: the framework's advisory answer; no new inverse offer for the agent before <paramref name="RefuseUntil"/>.</summary>
public sealed record InverseOfferAnswered(OfferId InverseOfferId, InverseOfferAnswer Answer, DateTimeOffset? RefuseUntil) : ClusterEvent;

/// <summary>The inverse offer no longer applies (its framework or agent went away, or the machine left maintenance).</summary>
public sealed record InverseOfferRescinded(OfferId InverseOfferId, string Reason) : ClusterEvent;
