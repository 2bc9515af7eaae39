using Mesos.Core.Ids;
using Mesos.Core.Resources;

namespace Mesos.Core.Allocation;

/// <summary>One allocation decision: these resources of this agent, offered to this framework for this role.</summary>
public sealed record OfferGrant(FrameworkId FrameworkId, AgentId AgentId, string Role, ResourceSet Resources);
