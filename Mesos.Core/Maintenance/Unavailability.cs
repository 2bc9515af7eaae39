namespace Mesos.Core.Maintenance;

/// <summary>
/// Mesos' Unavailability: from <paramref name="StartNanoseconds"/> (since the epoch) for <paramref name="DurationNanoseconds"/>
/// (open-ended when null). Kept in nanoseconds, as given, so that it goes back out exactly as the operator wrote it.
/// </summary>
public sealed record Unavailability(long StartNanoseconds, long? DurationNanoseconds);
