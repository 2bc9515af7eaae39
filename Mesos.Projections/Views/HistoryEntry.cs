namespace Mesos.Projections.Views;

/// <summary>One event of the timeline: what happened, when, who caused it, and what it touched.</summary>
public sealed record HistoryEntry(
    long Position,
    DateTimeOffset At,
    string Type,
    string Principal,
    string Summary,
    IReadOnlyList<string> Agents,
    IReadOnlyList<string> Frameworks,
    IReadOnlyList<string> Tasks);
