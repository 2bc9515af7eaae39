using System.Collections.Frozen;

namespace Mesos.Core.Events;

/// <summary>
/// The stable stored name and schema version of every event type. Names are never renamed or reused:
/// a change of shape is a new version (or a new name), and the old entry stays so that old logs replay.
/// Append only.
/// </summary>
public static class EventCatalogue
{
    public static readonly IReadOnlyList<EventTypeEntry> Entries =
    [
        new("MasterElected", 1, typeof(MasterElected)),
        new("AgentRegistered", 1, typeof(AgentRegistered)),
        new("AgentReregistered", 1, typeof(AgentReregistered)),
        new("AgentHeartbeatReceived", 1, typeof(AgentHeartbeatReceived)),
        new("AgentDisconnected", 1, typeof(AgentDisconnected)),
        new("AgentMarkedUnreachable", 1, typeof(AgentMarkedUnreachable)),
        new("AgentRemoved", 1, typeof(AgentRemoved)),
        new("FrameworkSubscribed", 1, typeof(FrameworkSubscribed)),
        new("FrameworkDisconnected", 1, typeof(FrameworkDisconnected)),
        new("FrameworkRemoved", 1, typeof(FrameworkRemoved)),
        new("FrameworkSuppressed", 1, typeof(FrameworkSuppressed)),
        new("FrameworkRevived", 1, typeof(FrameworkRevived)),
        new("AllocationCycleRan", 1, typeof(AllocationCycleRan)),
        new("OfferMade", 1, typeof(OfferMade)),
        new("OfferDeclined", 1, typeof(OfferDeclined)),
        new("OfferAccepted", 1, typeof(OfferAccepted)),
        new("OfferRescinded", 1, typeof(OfferRescinded)),
        new("TaskLaunched", 1, typeof(TaskLaunched)),
        new("TaskStatusUpdated", 1, typeof(TaskStatusUpdated)),
        new("TaskStatusAcknowledged", 1, typeof(TaskStatusAcknowledged)),
        new("TaskKillRequested", 1, typeof(TaskKillRequested)),
        new("RoleWeightsUpdated", 1, typeof(RoleWeightsUpdated)),
        new("QuotaUpdated", 1, typeof(QuotaUpdated)),
        new("TaskLaunchedOnExecutor", 1, typeof(TaskLaunchedOnExecutor)),
        new("ExecutorTerminated", 1, typeof(ExecutorTerminated)),
        new("ResourcesReserved", 1, typeof(ResourcesReserved)),
        new("ResourcesUnreserved", 1, typeof(ResourcesUnreserved)),
        new("TaskLaunched", 2, typeof(TaskLaunchedV2)),
        new("FrameworkUpdated", 1, typeof(FrameworkUpdated)),
        new("ExecutorShutdownRequested", 1, typeof(ExecutorShutdownRequested)),
        new("AgentDeactivated", 1, typeof(AgentDeactivated)),
        new("AgentReactivated", 1, typeof(AgentReactivated)),
        new("AllocatorConfigured", 1, typeof(AllocatorConfigured)),
        new("TaskGroupLaunched", 1, typeof(TaskGroupLaunched)),
        new("VolumesCreated", 1, typeof(VolumesCreated)),
        new("VolumesDestroyed", 1, typeof(VolumesDestroyed)),
        new("AgentDrainStarted", 1, typeof(AgentDrainStarted)),
        new("AgentDrained", 1, typeof(AgentDrained)),
        new("MaintenanceScheduleUpdated", 1, typeof(MaintenanceScheduleUpdated)),
        new("MachinesDown", 1, typeof(MachinesDown)),
        new("MachinesUp", 1, typeof(MachinesUp)),
        new("AgentAddressRecorded", 1, typeof(AgentAddressRecorded)),
        new("InverseOfferMade", 1, typeof(InverseOfferMade)),
        new("InverseOfferAnswered", 1, typeof(InverseOfferAnswered)),
        new("InverseOfferRescinded", 1, typeof(InverseOfferRescinded)),
        new("VolumeGrown", 1, typeof(VolumeGrown)),
        new("VolumeShrunk", 1, typeof(VolumeShrunk)),
    ];

    private static readonly FrozenDictionary<Type, EventTypeEntry> ByType = Entries.ToFrozenDictionary(e => e.Type);

    private static readonly FrozenDictionary<(string Name, int Version), EventTypeEntry> ByName =
        Entries.ToFrozenDictionary(e => (e.Name, e.Version));

    public static EventTypeEntry For(Type type) =>
        ByType.TryGetValue(type, out var entry)
            ? entry
            : throw new InvalidOperationException($"event type {type.Name} is not in the EventCatalogue");

    public static EventTypeEntry For(ClusterEvent @event) => For(@event.GetType());

    public static bool TryFind(string name, int version, out EventTypeEntry? entry) =>
        ByName.TryGetValue((name, version), out entry);
}
