using System.Text.Json.Serialization;
using Mesos.Core.Events;

namespace Mesos.EventLog.Serialization;

/// <summary>
/// Compile-time serialization metadata for every catalogued event, so that replay starts without reflection.
/// A catalogued event missing here still works through the reflection fallback in <see cref="EventCodec"/>, and a
/// test (<c>EventCodecTests</c>) fails until it is added.
/// </summary>
[JsonSerializable(typeof(MasterElected))]
[JsonSerializable(typeof(AgentRegistered))]
[JsonSerializable(typeof(AgentReregistered))]
[JsonSerializable(typeof(AgentHeartbeatReceived))]
[JsonSerializable(typeof(AgentDisconnected))]
[JsonSerializable(typeof(AgentMarkedUnreachable))]
[JsonSerializable(typeof(AgentDeactivated))]
[JsonSerializable(typeof(AgentReactivated))]
[JsonSerializable(typeof(AgentRemoved))]
[JsonSerializable(typeof(FrameworkSubscribed))]
[JsonSerializable(typeof(FrameworkDisconnected))]
[JsonSerializable(typeof(FrameworkRemoved))]
[JsonSerializable(typeof(FrameworkSuppressed))]
[JsonSerializable(typeof(FrameworkRevived))]
[JsonSerializable(typeof(FrameworkUpdated))]
[JsonSerializable(typeof(AllocationCycleRan))]
[JsonSerializable(typeof(OfferMade))]
[JsonSerializable(typeof(OfferDeclined))]
[JsonSerializable(typeof(OfferAccepted))]
[JsonSerializable(typeof(OfferRescinded))]
[JsonSerializable(typeof(RoleWeightsUpdated))]
[JsonSerializable(typeof(AllocatorConfigured))]
[JsonSerializable(typeof(QuotaUpdated))]
[JsonSerializable(typeof(ResourcesReserved))]
[JsonSerializable(typeof(ResourcesUnreserved))]
[JsonSerializable(typeof(VolumesCreated))]
[JsonSerializable(typeof(VolumesDestroyed))]
[JsonSerializable(typeof(TaskLaunched))]
[JsonSerializable(typeof(TaskLaunchedV2))]
[JsonSerializable(typeof(TaskStatusUpdated))]
[JsonSerializable(typeof(TaskStatusAcknowledged))]
[JsonSerializable(typeof(TaskKillRequested))]
[JsonSerializable(typeof(TaskLaunchedOnExecutor))]
[JsonSerializable(typeof(ExecutorTerminated))]
[JsonSerializable(typeof(ExecutorShutdownRequested))]
[JsonSerializable(typeof(TaskGroupLaunched))]
[JsonSerializable(typeof(AgentDrainStarted))]
[JsonSerializable(typeof(AgentDrained))]
[JsonSerializable(typeof(MaintenanceScheduleUpdated))]
[JsonSerializable(typeof(MachinesDown))]
[JsonSerializable(typeof(MachinesUp))]
[JsonSerializable(typeof(AgentAddressRecorded))]
[JsonSerializable(typeof(InverseOfferMade))]
[JsonSerializable(typeof(InverseOfferAnswered))]
[JsonSerializable(typeof(InverseOfferRescinded))]
[JsonSerializable(typeof(VolumeGrown))]
[JsonSerializable(typeof(VolumeShrunk))]
internal sealed partial class EventJsonContext : JsonSerializerContext;
