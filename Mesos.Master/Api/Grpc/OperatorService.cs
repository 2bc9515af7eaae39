using Grpc.Core;
using Mediator;
using Mesos.Core.Commands;
using Mesos.Core.Ids;
using Mesos.Master.Application;
using V1 = Mesos.Protocol.V1;

namespace Mesos.Master.Api.Grpc;

/// <summary>Read-only views and operator actions for the `mesos` tool; reads come from the published snapshot.</summary>
public sealed class OperatorService(IMediator mediator) : V1.Operator.OperatorBase
{
    public override async Task<V1.ClusterStateReply> GetState(V1.GetStateRequest request, ServerCallContext context)
    {
        var snapshot = await mediator.Send(new GetSnapshot(request.MinPosition), context.CancellationToken).ConfigureAwait(false);
        return ClusterViews.ToReply(snapshot);
    }

    public override async Task<V1.TeardownFrameworkReply> TeardownFramework(V1.TeardownFrameworkRequest request, ServerCallContext context)
    {
        if (string.IsNullOrEmpty(request.FrameworkId))
        {
            throw GrpcErrors.InvalidArgument("framework_id is required");
        }

        var result = await mediator.Send(new Submit(new TeardownFramework(new FrameworkId(request.FrameworkId)) { Principal = "operator" }), context.CancellationToken).ConfigureAwait(false);
        return result.Error is { } error ? throw GrpcErrors.ToRpc(error) : new V1.TeardownFrameworkReply();
    }

    public override async Task<V1.ExplainAllocationReply> ExplainAllocation(V1.ExplainAllocationRequest request, ServerCallContext context)
    {
        var query = new ExplainAllocation(
            string.IsNullOrEmpty(request.FrameworkId) ? null : new FrameworkId(request.FrameworkId),
            string.IsNullOrEmpty(request.AgentId) ? null : new AgentId(request.AgentId));
        var result = await mediator.Send(query, context.CancellationToken).ConfigureAwait(false);
        return result.Error is { } error ? throw GrpcErrors.ToRpc(error) : ExplanationViews.ToReply(result);
    }

    public override async Task<V1.GetWeightsReply> GetWeights(V1.GetWeightsRequest request, ServerCallContext context)
    {
        var weights = await mediator.Send(new GetWeights(), context.CancellationToken).ConfigureAwait(false);
        return new V1.GetWeightsReply { WeightInfos = { weights.Select(QuotaMapping.ToWire) } };
    }

    public override async Task<V1.UpdateWeightsReply> UpdateWeights(V1.UpdateWeightsRequest request, ServerCallContext context)
    {
        var command = new UpdateWeights([.. request.WeightInfos.Select(QuotaMapping.ToCore)]) { Principal = "operator" };
        var result = await mediator.Send(new Submit(command), context.CancellationToken).ConfigureAwait(false);
        return result.Error is { } error ? throw GrpcErrors.ToRpc(error) : new V1.UpdateWeightsReply();
    }

    public override async Task<V1.GetQuotaReply> GetQuota(V1.GetQuotaRequest request, ServerCallContext context)
    {
        var quotas = await mediator.Send(new GetQuota(), context.CancellationToken).ConfigureAwait(false);
        return new V1.GetQuotaReply { Configs = { quotas.Select(QuotaMapping.ToWire) } };
    }

    public override async Task<V1.UpdateQuotaReply> UpdateQuota(V1.UpdateQuotaRequest request, ServerCallContext context)
    {
        UpdateQuota command;
        try
        {
            command = new UpdateQuota([.. request.QuotaConfigs.Select(QuotaMapping.ToCore)], request.Force) { Principal = "operator" };
        }
        catch (WireFormatException ex)
        {
            throw GrpcErrors.InvalidArgument(ex.Message);
        }

        var result = await mediator.Send(new Submit(command), context.CancellationToken).ConfigureAwait(false);
        return result.Error is { } error ? throw GrpcErrors.ToRpc(error) : new V1.UpdateQuotaReply();
    }

    public override async Task<V1.ReserveResourcesReply> ReserveResources(V1.ReserveResourcesRequest request, ServerCallContext context)
    {
        var resources = ReservationResources(request.AgentId, request.Resources, "resources");
        var result = await mediator.Send(new Submit(new ReserveResources(new AgentId(request.AgentId), resources) { Principal = "operator" }), context.CancellationToken).ConfigureAwait(false);
        return result.Error is { } error ? throw GrpcErrors.ToRpc(error) : new V1.ReserveResourcesReply();
    }

    public override async Task<V1.UnreserveResourcesReply> UnreserveResources(V1.UnreserveResourcesRequest request, ServerCallContext context)
    {
        var resources = ReservationResources(request.AgentId, request.Resources, "resources");
        var result = await mediator.Send(new Submit(new UnreserveResources(new AgentId(request.AgentId), resources) { Principal = "operator" }), context.CancellationToken).ConfigureAwait(false);
        return result.Error is { } error ? throw GrpcErrors.ToRpc(error) : new V1.UnreserveResourcesReply();
    }

    public override async Task<V1.CreateVolumesReply> CreateVolumes(V1.CreateVolumesRequest request, ServerCallContext context)
    {
        var volumes = ReservationResources(request.AgentId, request.Volumes, "volumes");
        var result = await mediator.Send(new Submit(new CreateVolumes(new AgentId(request.AgentId), volumes) { Principal = "operator" }), context.CancellationToken).ConfigureAwait(false);
        return result.Error is { } error ? throw GrpcErrors.ToRpc(error) : new V1.CreateVolumesReply();
    }

    public override async Task<V1.DestroyVolumesReply> DestroyVolumes(V1.DestroyVolumesRequest request, ServerCallContext context)
    {
        var volumes = ReservationResources(request.AgentId, request.Volumes, "volumes");
        var result = await mediator.Send(new Submit(new DestroyVolumes(new AgentId(request.AgentId), volumes) { Principal = "operator" }), context.CancellationToken).ConfigureAwait(false);
        return result.Error is { } error ? throw GrpcErrors.ToRpc(error) : new V1.DestroyVolumesReply();
    }

    public override async Task<V1.GrowVolumeReply> GrowVolume(V1.GrowVolumeRequest request, ServerCallContext context)
    {
        var volume = ReservationResources(request.AgentId, request.Volume is { } v ? [v] : [], "volume");
        var addition = ReservationResources(request.AgentId, request.Addition is { } a ? [a] : [], "addition");
        var result = await mediator.Send(new Submit(new GrowVolume(new AgentId(request.AgentId), volume, addition) { Principal = "operator" }), context.CancellationToken).ConfigureAwait(false);
        return result.Error is { } error ? throw GrpcErrors.ToRpc(error) : new V1.GrowVolumeReply();
    }

    public override async Task<V1.ShrinkVolumeReply> ShrinkVolume(V1.ShrinkVolumeRequest request, ServerCallContext context)
    {
        var volume = ReservationResources(request.AgentId, request.Volume is { } v ? [v] : [], "volume");
        Core.Resources.ScalarValue subtract;
        try
        {
            subtract = ProtoMapping.Subtract(request.Subtract, "subtract");
        }
        catch (Exception ex) when (ex is WireFormatException or ArgumentException)
        {
            throw GrpcErrors.InvalidArgument(ex.Message);
        }

        var result = await mediator.Send(new Submit(new ShrinkVolume(new AgentId(request.AgentId), volume, subtract) { Principal = "operator" }), context.CancellationToken).ConfigureAwait(false);
        return result.Error is { } error ? throw GrpcErrors.ToRpc(error) : new V1.ShrinkVolumeReply();
    }

    private static Core.Resources.ResourceSet ReservationResources(string agentId, IEnumerable<V1.Resource> resources, string field)
    {
        if (string.IsNullOrEmpty(agentId))
        {
            throw GrpcErrors.InvalidArgument("agent_id is required");
        }

        try
        {
            return ProtoMapping.ToCore(resources, field);
        }
        catch (WireFormatException ex)
        {
            throw GrpcErrors.InvalidArgument(ex.Message);
        }
    }
}
