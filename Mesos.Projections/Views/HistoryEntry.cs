using System.Text.Json.Serialization;
using Mesos.Core.Events;
using Mesos.Projections.History;

namespace Mesos.Projections.Views;

/// <summary>
/// One event of the timeline: what happened, when, who caused it, and what it touched. The one-line summary is
/// written when read: most entries of a long log are never shown.
/// </summary>
public sealed record HistoryEntry(
    long Position,
    DateTimeOffset At,
    string Type,
    string Principal,
    IReadOnlyList<string> Agents,
    IReadOnlyList<string> Frameworks,
    IReadOnlyList<string> Tasks,
    [property: JsonIgnore] ClusterEvent Event)
{
    public string Summary => Summaries.Of(Event);
}
