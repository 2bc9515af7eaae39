using Mesos.Core.Collections;
using Mesos.Core.Frameworks;
using Mesos.Core.Ids;

namespace Mesos.Core.Commands;

/// <summary>
/// UPDATE_FRAMEWORK (Mesos 1.9+): the subscribed framework replaces its FrameworkInfo and its set of suppressed roles
/// at once. Who it runs as (principal, user, checkpoint) cannot change.
/// </summary>
public sealed record UpdateFramework(FrameworkId FrameworkId, FrameworkInfo Info, ValueArray<string> SuppressedRoles) : MasterCommand;
