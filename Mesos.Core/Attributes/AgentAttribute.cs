using Mesos.Core.Resources;

namespace Mesos.Core.Attributes;

/// <summary>One agent attribute (<c>rack:r1</c>, <c>level:10</c>, <c>keys:[1000-1500]</c>, <c>tags:{a,b}</c>).</summary>
public sealed record AgentAttribute(string Name, AttributeKind Kind, string Text, ScalarValue Scalar, RangeSet Ranges, ItemSet Items)
{
    public static AgentAttribute OfText(string name, string text) => new(name, AttributeKind.Text, text, ScalarValue.Zero, RangeSet.Empty, ItemSet.Empty);

    public static AgentAttribute OfScalar(string name, ScalarValue value) => new(name, AttributeKind.Scalar, string.Empty, value, RangeSet.Empty, ItemSet.Empty);

    public static AgentAttribute OfRanges(string name, RangeSet ranges) => new(name, AttributeKind.Ranges, string.Empty, ScalarValue.Zero, ranges, ItemSet.Empty);

    public static AgentAttribute OfSet(string name, ItemSet items) => new(name, AttributeKind.Set, string.Empty, ScalarValue.Zero, RangeSet.Empty, items);

    public string ValueText => Kind switch
    {
        AttributeKind.Scalar => Scalar.ToString(),
        AttributeKind.Ranges => Ranges.ToString(),
        AttributeKind.Set => Items.ToString(),
        _ => Text,
    };

    public override string ToString() => Name + ":" + ValueText;
}
