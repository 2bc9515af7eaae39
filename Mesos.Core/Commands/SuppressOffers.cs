using Mesos.Core.Collections;
using Mesos.Core.Ids;

namespace Mesos.Core.Commands;

/// <summary>SUPPRESS: no offers for the roles (all when empty) until REVIVE.</summary>
public sealed record SuppressOffers(FrameworkId FrameworkId, ValueArray<string> Roles) : MasterCommand;
