using Mesos.Core.Resources;

namespace Mesos.Core.State;

/// <summary>What the operator set for a role. Roles without an entry have weight 1 and no quota.</summary>
public sealed record RoleState(double Weight, ResourceSet Guarantees, ResourceSet Limits)
{
    public static readonly RoleState Default = new(1.0, ResourceSet.Empty, ResourceSet.Empty);

    public bool IsDefault => Weight == 1.0 && Guarantees.IsEmpty && Limits.IsEmpty;
}
