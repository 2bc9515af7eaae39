namespace Mesos.Core.Tasks;

/// <summary>
/// Mesos' HealthCheck as the framework gave it. Absent timings stay null so that the agent applies Mesos' defaults
/// (delay 15 s, interval 10 s, timeout 20 s, 3 consecutive failures, grace period 10 s) and the master repeats
/// exactly what it was told.
/// </summary>
public sealed record HealthCheck(
    HealthCheckType Type,
    double? DelaySeconds,
    double? IntervalSeconds,
    double? TimeoutSeconds,
    uint? ConsecutiveFailures,
    double? GracePeriodSeconds,
    CommandInfo? Command,
    HttpHealthCheck? Http,
    uint? TcpPort);
