using Mesos.Core.Attributes;
using Mesos.Core.Resources;
using Proto = Mesos.Protocol.V1;

namespace Mesos.Agent.Registration;

/// <summary>Core resources and attributes to their wire form, in one place.</summary>
public static class ProtoMapping
{
    public static IEnumerable<Proto.Resource> ToProto(ResourceSet resources) => resources.Entries.Select(ToProto);

    public static Proto.Resource ToProto(Resource resource)
    {
        var proto = new Proto.Resource { Name = resource.Name, Role = resource.Role };
        switch (resource.Kind)
        {
            case ResourceKind.Scalar:
                proto.Type = Proto.Value.Types.Type.Scalar;
                proto.Scalar = new Proto.Value.Types.Scalar { Value = resource.Scalar.ToDouble() };
                break;
            case ResourceKind.Ranges:
                proto.Type = Proto.Value.Types.Type.Ranges;
                proto.Ranges = ToProto(resource.Ranges);
                break;
            default:
                proto.Type = Proto.Value.Types.Type.Set;
                proto.Set = new Proto.Value.Types.Set();
                proto.Set.Item.AddRange(resource.Items.Items);
                break;
        }

        return proto;
    }

    public static IEnumerable<Proto.Attribute> ToProto(AgentAttributes attributes) => attributes.Items.Select(ToProto);

    public static Proto.Attribute ToProto(AgentAttribute attribute)
    {
        var proto = new Proto.Attribute { Name = attribute.Name };
        switch (attribute.Kind)
        {
            case AttributeKind.Scalar:
                proto.Type = Proto.Value.Types.Type.Scalar;
                proto.Scalar = new Proto.Value.Types.Scalar { Value = attribute.Scalar.ToDouble() };
                break;
            case AttributeKind.Ranges:
                proto.Type = Proto.Value.Types.Type.Ranges;
                proto.Ranges = ToProto(attribute.Ranges);
                break;
            case AttributeKind.Set:
                proto.Type = Proto.Value.Types.Type.Set;
                proto.Set = new Proto.Value.Types.Set();
                proto.Set.Item.AddRange(attribute.Items.Items);
                break;
            default:
                proto.Type = Proto.Value.Types.Type.Text;
                proto.Text = new Proto.Value.Types.Text { Value = attribute.Text };
                break;
        }

        return proto;
    }

    private static Proto.Value.Types.Ranges ToProto(RangeSet ranges)
    {
        var proto = new Proto.Value.Types.Ranges();
        proto.Range.AddRange(ranges.Ranges.Select(r => new Proto.Value.Types.Range { Begin = r.Begin, End = r.End }));
        return proto;
    }
}
