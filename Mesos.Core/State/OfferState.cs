using Mesos.Core.Ids;
using Mesos.Core.Resources;

namespace Mesos.Core.State;

public sealed record OfferState(OfferId Id, FrameworkId FrameworkId, AgentId AgentId, string Role, ResourceSet Resources, DateTimeOffset MadeAt);
