namespace Mesos.Core.Commands;

/// <summary>Timer: one allocation cycle; <paramref name="Seed"/> breaks ties and is derived from the log position.</summary>
public sealed record RunAllocation(long Seed) : MasterCommand;
