using Mesos.Core.Collections;
using Mesos.Core.Quotas;

namespace Mesos.Core.Commands;

/// <summary>UPDATE_WEIGHTS: set these roles' weights (positive, finite).</summary>
public sealed record UpdateWeights(ValueArray<RoleWeight> Weights) : MasterCommand;
