using Mesos.Core.Resources;
using Mesos.Protocol.Mapping;
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
        return WireForm.Of(resources, allocationRole);
    }

    /// <summary>Mesos' text form, <c>cpus:2;mem:1024;ports:[31000-32000]</c>.</summary>
    public static string Format(IEnumerable<WireResource> resources) => ToResourceSet(resources).ToString();
}
