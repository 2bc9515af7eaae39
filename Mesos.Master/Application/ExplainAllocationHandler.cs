using Mediator;
using Mesos.Core.Allocation;
using Mesos.Core.Allocation.Explain;
using Mesos.Core.Decisions;
using Mesos.Master.Allocation;

namespace Mesos.Master.Application;

public sealed class ExplainAllocationHandler(IAllocator allocator, AllocationRecorder recorder) : IQueryHandler<ExplainAllocation, AllocationExplainResult>
{
    public ValueTask<AllocationExplainResult> Handle(ExplainAllocation query, CancellationToken cancellationToken)
    {
        if (query.FrameworkId is null && query.AgentId is null)
        {
            return Fail(DecideErrorKind.InvalidArgument, "Name a framework (framework_id) or an agent (agent_id) to explain");
        }

        if (allocator is not IAllocationExplainer explainer)
        {
            return Fail(DecideErrorKind.FailedPrecondition, $"The allocator {allocator.GetType().Name} does not explain its decisions");
        }

        if (recorder.Last is not { } cycle)
        {
            return ValueTask.FromResult(new AllocationExplainResult(null, [], null));
        }

        // Known to the cycle, or known at all: a framework that subscribed since the cycle ran has no reasons yet.
        var state = cycle.State;
        if (query.FrameworkId is { } framework && !state.Frameworks.ContainsKey(framework))
        {
            return Fail(DecideErrorKind.NotFound, $"Framework '{framework}' was not known to the master at the latest allocation cycle");
        }

        if (query.AgentId is { } agent && !state.Agents.ContainsKey(agent))
        {
            return Fail(DecideErrorKind.NotFound, $"Agent '{agent}' was not known to the master at the latest allocation cycle");
        }

        var explanation = explainer.Explain(state, cycle.At, cycle.Seed, new ExplainScope(query.FrameworkId, query.AgentId));
        return ValueTask.FromResult(new AllocationExplainResult(cycle, explanation.Reasons, null));
    }

    private static ValueTask<AllocationExplainResult> Fail(DecideErrorKind kind, string message) =>
        ValueTask.FromResult(new AllocationExplainResult(null, [], new DecideError(kind, message)));
}
