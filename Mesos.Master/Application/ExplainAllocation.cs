using Mediator;
using Mesos.Core.Ids;

namespace Mesos.Master.Application;

/// <summary>
/// Why the latest allocation cycle did or did not offer resources, to one framework or of one agent. Computed on
/// demand by running that cycle again from its recorded input; every edge (gRPC, HTTP JSON) asks through here.
/// </summary>
public sealed record ExplainAllocation(FrameworkId? FrameworkId, AgentId? AgentId) : IQuery<AllocationExplainResult>;
