using Grpc.Core;
using Mesos.Protocol.V1;

namespace Mesos.Agent.Http;

/// <summary>The agent's gRPC API (gRPC-Web on its HTTP port): container usage, the same figures as <c>/monitor/statistics</c>.</summary>
internal sealed class AgentMonitorService(AgentCore core) : AgentMonitor.AgentMonitorBase
{
    public override Task<GetContainersReply> GetContainers(GetContainersRequest request, ServerCallContext context)
    {
        var reply = new GetContainersReply();
        reply.Containers.AddRange(MonitorStatistics.Collect(core, TimeProvider.System));
        return Task.FromResult(reply);
    }
}
