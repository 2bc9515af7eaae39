using Mesos.Protocol.V1;

namespace Mesos.Client;

/// <summary>One live subscription: the master that holds the event stream and the context its calls need.</summary>
internal sealed record SchedulerSession(MasterEndpoint Master, Scheduler.SchedulerClient Client, CallContext Context);
