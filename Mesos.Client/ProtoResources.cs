using Mesos.Core.Resources;
using CoreResource = Mesos.Core.Resources.Resource;
using WireResource = Mesos.Protocol.V1.Resource;
using WireValue = Mesos.Protocol.V1.Value;

namespace Mesos.Client;

/// <summary>
/// Wire resources to and from Core's <see cref="ResourceSet"/>, so that frameworks can parse
/// <c>cpus:0.5;mem:128</c>, check an offer against a request and print resources the way Mesos does.
/// </summary>
public static class ProtoResources
{
    public static ResourceSet ToResourceSet(IEnumerable<WireResource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var converted = new List<CoreResource>();
        foreach (var resource in resources)
        {
            var role = string.IsNullOrEmpty(resource.Role) ? CoreResource.UnreservedRole : resource.Role;
            switch (resource.Type)
            {
                case WireValue.Types.Type.Scalar:
                    converted.Add(CoreResource.OfScalar(resource.Name, resource.Scalar?.Value ?? 0, role));
                    break;
                case WireValue.Types.Type.Ranges:
                    var ranges = resource.Ranges?.Range.Where(r => r.Begin <= r.End).Select(r => new ValueRange(r.Begin, r.End)) ?? [];
                    converted.Add(CoreResource.OfRanges(resource.Name, RangeSet.Of(ranges), role));
                    break;
                case WireValue.Types.Type.Set:
                    converted.Add(CoreResource.OfSet(resource.Name, ItemSet.Of(resource.Set?.Item ?? []), role));
                    break;
                default:
                    // TEXT is an attribute type, never a resource; Mesos rejects it too.
                    break;
            }
        }

        return ResourceSet.Of(converted);
    }

    /// <summary>
    /// The wire form of <paramref name="resources"/>. With <paramref name="allocationRole"/>, each resource is marked
    /// as allocated to that role, which a MULTI_ROLE framework must do for what it launches from an offer.
    /// </summary>
    public static IReadOnlyList<WireResource> ToWire(ResourceSet resources, string? allocationRole = null)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var result = new List<WireResource>(resources.Entries.Length);
        foreach (var resource in resources.Entries)
        {
            var wire = new WireResource { Name = resource.Name, Role = resource.Role };
            switch (resource.Kind)
            {
                case ResourceKind.Scalar:
                    wire.Type = WireValue.Types.Type.Scalar;
                    wire.Scalar = new WireValue.Types.Scalar { Value = resource.Scalar.ToDouble() };
                    break;
                case ResourceKind.Ranges:
                    wire.Type = WireValue.Types.Type.Ranges;
                    wire.Ranges = new WireValue.Types.Ranges();
                    wire.Ranges.Range.AddRange(resource.Ranges.Ranges.Select(r => new WireValue.Types.Range { Begin = r.Begin, End = r.End }));
                    break;
                default:
                    wire.Type = WireValue.Types.Type.Set;
                    wire.Set = new WireValue.Types.Set();
                    wire.Set.Item.AddRange(resource.Items.Items);
                    break;
            }

            if (allocationRole is not null)
            {
                wire.AllocationInfo = new Mesos.Protocol.V1.AllocationInfo { Role = allocationRole };
            }

            result.Add(wire);
        }

        return result;
    }

    /// <summary>Mesos' text form, <c>cpus:2;mem:1024;ports:[31000-32000]</c>.</summary>
    public static string Format(IEnumerable<WireResource> resources) => ToResourceSet(resources).ToString();
}
