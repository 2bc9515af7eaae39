using Mesos.Core.Frameworks;
using Mesos.Core.Ids;

namespace Mesos.Core.Commands;

/// <summary>SUBSCRIBE: a new framework (no id) or a re-subscription (failover) with the id it was given.</summary>
public sealed record SubscribeFramework(FrameworkInfo Info, FrameworkId? FrameworkId) : MasterCommand;
