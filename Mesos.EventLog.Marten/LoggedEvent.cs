using System.Text.Json;

namespace Mesos.EventLog.Marten;

/// <summary>
/// The one Marten event type: a cluster event's catalogue name, version and principal beside its payload as
/// <c>EventCodec</c> wrote it. Marten never sees the event records themselves, so the catalogue (not Marten's
/// type mapping) decides names and versions, and a log moves between adapters unchanged. The payload stays a
/// JSON object, so operators can query it in SQL (<c>data->'payload'->>'agentId'</c>).
/// </summary>
public sealed record LoggedEvent(string Type, int Version, string Principal, JsonElement Payload);
