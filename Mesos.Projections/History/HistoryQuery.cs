namespace Mesos.Projections.History;

/// <summary>
/// A page of the timeline. At most one of agent, framework, task (a task id, or <c>framework/task</c>) and type
/// filters it. Newest first: entries with position below <see cref="Before"/> (null: from the newest).
/// </summary>
public sealed record HistoryQuery(string? Agent, string? Framework, string? Task, string? Type, long? Before, int Limit);
