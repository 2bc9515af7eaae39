using Mesos.Protocol.V1;

namespace Mesos.Agent.Http;

/// <summary>A task's container inside its default executor's (<paramref name="ParentContainerId"/>), and what it uses.</summary>
internal sealed record NestedUsage(string ContainerId, string ParentContainerId, ResourceStatistics Statistics);
