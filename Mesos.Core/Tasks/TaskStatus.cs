namespace Mesos.Core.Tasks;

/// <summary>
/// One status update. <see cref="Uuid"/> is set on updates from agents and executors, which are retried until
/// the framework acknowledges them; master-generated updates have none and must not be acknowledged.
/// </summary>
public sealed record TaskStatus(
    TaskState State,
    TaskReason? Reason,
    string Message,
    StatusSource Source,
    Guid? Uuid,
    DateTimeOffset Timestamp,
    bool? Healthy = null);
