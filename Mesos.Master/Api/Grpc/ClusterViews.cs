using Mesos.Master.Loop;
using V1 = Mesos.Protocol.V1;

namespace Mesos.Master.Api.Grpc;

/// <summary>The operator's view of a snapshot: agents, frameworks, active and completed tasks.</summary>
public static class ClusterViews
{
    public static V1.ClusterStateReply ToReply(ClusterSnapshot snapshot)
    {
        var state = snapshot.State;
        var reply = new V1.ClusterStateReply
        {
            Position = snapshot.Position,
            StateHash = snapshot.Hash,
            MasterInfo = ProtoMapping.ToWire(state.Master),
        };

        foreach (var agent in state.Agents.Values)
        {
            var view = new V1.AgentView
            {
                Id = agent.Id.Value,
                Hostname = agent.Info.Hostname,
                Port = agent.Info.Port,
                State = agent.Status.ToString().ToUpperInvariant(),
                RegisteredTime = ProtoMapping.Seconds(agent.RegisteredAt),
                LastHeartbeatTime = ProtoMapping.Seconds(agent.LastSeen),
            };
            view.Total.AddRange(ProtoMapping.ToWire(agent.Info.Resources));
            view.Used.AddRange(ProtoMapping.ToWire(agent.Used));
            view.Offered.AddRange(ProtoMapping.ToWire(agent.Offered));
            view.Attributes.AddRange(ProtoMapping.ToWire(agent.Info.Attributes));
            reply.Agents.Add(view);
        }

        foreach (var framework in state.Frameworks.Values.Concat(state.CompletedFrameworks))
        {
            var view = new V1.FrameworkView
            {
                Id = framework.Id.Value,
                Name = framework.Info.Name,
                User = framework.Info.User,
                State = framework.Status.ToString().ToUpperInvariant(),
                ActiveTasks = state.TasksOf(framework.Id).Count(t => !t.IsTerminal),
                Offers = state.Offers.Values.Count(o => o.FrameworkId == framework.Id),
                RegisteredTime = ProtoMapping.Seconds(framework.RegisteredAt),
                Principal = framework.Info.Principal,
            };
            view.Roles.AddRange(framework.Info.Roles);
            reply.Frameworks.Add(view);
        }

        foreach (var task in state.Tasks.Values)
        {
            reply.Tasks.Add(ProtoMapping.ToView(task, state));
        }

        foreach (var task in state.Frameworks.Values.Concat(state.CompletedFrameworks).SelectMany(f => f.CompletedTasks))
        {
            reply.Tasks.Add(ProtoMapping.ToView(task, state));
        }

        return reply;
    }
}
