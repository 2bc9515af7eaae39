using Mesos.Protocol.V1;

namespace Mesos.Agent.Registration;

/// <summary>What the master link needs from the agent: what to attach with, and where the master's messages go.</summary>
public interface IMasterLinkHandler
{
    /// <summary>Built anew for every attach, so re-registration carries the tasks as they are at that moment.</summary>
    AttachRequest CreateAttachRequest();

    void OnRegistered(MasterToAgent.Types.Registered registered, string master);

    void OnMessage(MasterToAgent message);

    void OnDisconnected(string master);
}
