using System.Collections.Concurrent;
using Mesos.Core.Ids;

namespace Mesos.Master.Notify;

/// <summary>Who is connected right now. Connections are not state: they die with the process and are never logged.</summary>
public sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<FrameworkId, FrameworkConnection> frameworks = new();
    private readonly ConcurrentDictionary<AgentId, AgentConnection> agents = new();

    /// <summary>Installs <paramref name="connection"/> and closes the one it replaces, if any.</summary>
    public void Replace(FrameworkConnection connection)
    {
        FrameworkConnection? old = null;
        frameworks.AddOrUpdate(connection.FrameworkId, connection, (_, existing) =>
        {
            old = existing;
            return connection;
        });
        old?.Close("Framework failed over: a newer subscription took over this framework");
    }

    public void Replace(AgentConnection connection)
    {
        AgentConnection? old = null;
        agents.AddOrUpdate(connection.AgentId, connection, (_, existing) =>
        {
            old = existing;
            return connection;
        });
        old?.Close("Agent re-registered on a newer connection");
    }

    public FrameworkConnection? Framework(FrameworkId id) => frameworks.TryGetValue(id, out var c) ? c : null;

    public AgentConnection? Agent(AgentId id) => agents.TryGetValue(id, out var c) ? c : null;

    public IEnumerable<FrameworkConnection> Frameworks => frameworks.Values;

    public IEnumerable<AgentConnection> Agents => agents.Values;

    /// <summary>Removes the connection only if it is still the current one; a replaced stream ending must not evict its successor.</summary>
    public bool Detach(FrameworkConnection connection) =>
        frameworks.TryRemove(new KeyValuePair<FrameworkId, FrameworkConnection>(connection.FrameworkId, connection));

    public bool Detach(AgentConnection connection) =>
        agents.TryRemove(new KeyValuePair<AgentId, AgentConnection>(connection.AgentId, connection));
}
