namespace Mesos.Core.Resources;

/// <summary>Mesos' <c>Value.Type</c> for resources (TEXT exists only for attributes).</summary>
public enum ResourceKind
{
    Scalar = 0,
    Ranges = 1,
    Set = 2,
}
