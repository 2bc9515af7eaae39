using Mesos.Core.Attributes;
using Mesos.Core.Resources;
using Mesos.Protocol.V1;
using Resource = Mesos.Protocol.V1.Resource;
using WireLabel = Mesos.Protocol.V1.ReservationLabel;

namespace Mesos.Protocol.Mapping;

/// <summary>
/// Core resources and attributes in their wire form, for every edge that sends them (master, agent, client).
/// Reading them back is each edge's own job, because each validates input differently.
/// </summary>
public static class WireForm
{
    /// <summary>With <paramref name="allocationRole"/>, each resource is marked as allocated to that role (offers, MULTI_ROLE launches).</summary>
    public static IReadOnlyList<Resource> Of(ResourceSet resources, string? allocationRole = null, ReservationFormat format = ReservationFormat.Endpoint)
    {
        var result = new List<Resource>(resources.Entries.Length);
        foreach (var resource in resources.Entries)
        {
            var wire = new Resource { Name = resource.Name, Role = resource.Role };
            WriteReservations(wire, resource, format);
            switch (resource.Kind)
            {
                case ResourceKind.Scalar:
                    wire.Type = Value.Types.Type.Scalar;
                    wire.Scalar = new Value.Types.Scalar { Value = resource.Scalar.ToDouble() };
                    break;
                case ResourceKind.Ranges:
                    wire.Type = Value.Types.Type.Ranges;
                    wire.Ranges = Of(resource.Ranges);
                    break;
                default:
                    wire.Type = Value.Types.Type.Set;
                    wire.Set = Of(resource.Items);
                    break;
            }

            if (resource.Volume is { } volume)
            {
                wire.Disk = Of(volume);
            }

            if (allocationRole is not null)
            {
                wire.AllocationInfo = new AllocationInfo { Role = allocationRole };
            }

            result.Add(wire);
        }

        return result;
    }

    /// <summary>A persistent volume as Mesos' DiskInfo: persistence {id, principal}, volume {container_path, mode}.</summary>
    public static DiskInfo Of(DiskVolume volume) => new()
    {
        Persistence = new DiskInfo.Types.Persistence { Id = volume.PersistenceId, Principal = volume.Principal ?? string.Empty },
        Volume = new Volume { ContainerPath = volume.ContainerPath, Mode = volume.Mode == VolumeMode.Ro ? Volume.Types.Mode.Ro : Volume.Types.Mode.Rw },
    };

    private static void WriteReservations(Resource wire, Core.Resources.Resource resource, ReservationFormat format)
    {
        if (resource.Reservations.IsEmpty)
        {
            return;
        }

        var last = resource.Reservations[^1];
        if (format != ReservationFormat.PostRefinement && resource.Reservations.Length == 1 && last.IsDynamic)
        {
            wire.Reservation = new ReservationInfo { Principal = last.Principal ?? string.Empty };
            wire.Reservation.Labels.AddRange(Of(last.Labels));
        }

        if (format == ReservationFormat.PreRefinement && resource.Reservations.Length == 1)
        {
            return;
        }

        if (format == ReservationFormat.PostRefinement || resource.Reservations.Length > 1)
        {
            wire.Role = string.Empty;
        }

        foreach (var reservation in resource.Reservations)
        {
            var info = new ReservationInfo
            {
                Type = reservation.IsDynamic ? ReservationInfo.Types.Type.Dynamic : ReservationInfo.Types.Type.Static,
                Role = reservation.Role,
                Principal = reservation.Principal ?? string.Empty,
            };
            info.Labels.AddRange(Of(reservation.Labels));
            wire.Reservations.Add(info);
        }
    }

    private static IEnumerable<WireLabel> Of(Core.Collections.ValueArray<Core.Resources.ReservationLabel> labels) =>
        labels.Select(l => new WireLabel { Key = l.Key, Value = l.Value ?? string.Empty, HasValue = l.Value is not null });

    public static IReadOnlyList<V1.Attribute> Of(AgentAttributes attributes) =>
        [.. attributes.Items.Select(attribute =>
        {
            var wire = new V1.Attribute { Name = attribute.Name };
            switch (attribute.Kind)
            {
                case AttributeKind.Scalar:
                    wire.Type = Value.Types.Type.Scalar;
                    wire.Scalar = new Value.Types.Scalar { Value = attribute.Scalar.ToDouble() };
                    break;
                case AttributeKind.Ranges:
                    wire.Type = Value.Types.Type.Ranges;
                    wire.Ranges = Of(attribute.Ranges);
                    break;
                case AttributeKind.Set:
                    wire.Type = Value.Types.Type.Set;
                    wire.Set = Of(attribute.Items);
                    break;
                default:
                    wire.Type = Value.Types.Type.Text;
                    wire.Text = new Value.Types.Text { Value = attribute.Text };
                    break;
            }

            return wire;
        })];

    private static Value.Types.Ranges Of(RangeSet ranges)
    {
        var wire = new Value.Types.Ranges();
        wire.Range.AddRange(ranges.Ranges.Select(r => new Value.Types.Range { Begin = r.Begin, End = r.End }));
        return wire;
    }

    private static Value.Types.Set Of(ItemSet items)
    {
        var wire = new Value.Types.Set();
        wire.Item.AddRange(items.Items);
        return wire;
    }
}
