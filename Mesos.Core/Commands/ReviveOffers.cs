using Mesos.Core.Collections;
using Mesos.Core.Ids;

namespace Mesos.Core.Commands;

/// <summary>REVIVE: unsuppress the roles (all when empty) and clear the framework's decline filters.</summary>
public sealed record ReviveOffers(FrameworkId FrameworkId, ValueArray<string> Roles) : MasterCommand;
