using Mesos.Core.Attributes;
using Mesos.Core.Resources;

namespace Mesos.Core.Agents;

/// <summary>What an agent announces about itself: Mesos' AgentInfo.</summary>
public sealed record AgentInfo(string Hostname, int Port, ResourceSet Resources, AgentAttributes Attributes);
