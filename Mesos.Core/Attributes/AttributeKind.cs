namespace Mesos.Core.Attributes;

/// <summary>Mesos' <c>Value.Type</c> as attributes use it.</summary>
public enum AttributeKind
{
    Scalar = 0,
    Ranges = 1,
    Set = 2,
    Text = 3,
}
