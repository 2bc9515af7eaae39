using Mesos.Core.Ids;
using Mesos.Core.Maintenance;

namespace Mesos.Core.State;

/// <summary>An outstanding inverse offer: the master asks the framework to give back what it holds on the agent.</summary>
public sealed record InverseOfferState(OfferId Id, FrameworkId FrameworkId, AgentId AgentId, Unavailability Unavailability, DateTimeOffset MadeAt);
