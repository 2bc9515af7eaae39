namespace Mesos.Core.Allocation.Audit;

/// <summary>The first recorded cycle the allocator would not decide again: where it is in the log and how it differs.</summary>
public sealed record AuditMismatch(long Cycle, long Position, DateTimeOffset At, long Seed, string Difference);
