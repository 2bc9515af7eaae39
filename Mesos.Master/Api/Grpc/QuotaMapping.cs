using Google.Protobuf.Collections;
using Mesos.Core.Quotas;
using Mesos.Core.Resources;
using V1 = Mesos.Protocol.V1;

namespace Mesos.Master.Api.Grpc;

/// <summary>Weights and QuotaConfig between their wire form and the core's; bad quantities are errors naming the field.</summary>
public static class QuotaMapping
{
    public static RoleQuota ToCore(V1.QuotaConfig config, int index) => new(
        config.Role,
        Quantities(config.Guarantees, $"quota_configs[{index}].guarantees"),
        Quantities(config.Limits, $"quota_configs[{index}].limits"));

    public static V1.QuotaConfig ToWire(RoleQuota quota)
    {
        var config = new V1.QuotaConfig { Role = quota.Role };
        foreach (var guarantee in quota.Guarantees.Entries)
        {
            config.Guarantees[guarantee.Name] = new V1.Value.Types.Scalar { Value = guarantee.Scalar.ToDouble() };
        }

        foreach (var limit in quota.Limits.Entries)
        {
            config.Limits[limit.Name] = new V1.Value.Types.Scalar { Value = limit.Scalar.ToDouble() };
        }

        return config;
    }

    public static RoleWeight ToCore(V1.WeightInfo info) => new(info.Role, info.Weight);

    public static V1.WeightInfo ToWire(RoleWeight weight) => new() { Role = weight.Role, Weight = weight.Weight };

    private static ResourceSet Quantities(MapField<string, V1.Value.Types.Scalar> quantities, string field)
    {
        var resources = new List<Resource>(quantities.Count);
        foreach (var (name, scalar) in quantities.OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new WireFormatException($"{field}: a resource name must not be empty");
            }

            var value = scalar?.Value ?? 0;
            if (!double.IsFinite(value) || value < 0)
            {
                throw new WireFormatException($"{field}[{name}]: {value} is not a finite, non-negative quantity");
            }

            resources.Add(Resource.OfScalar(name, ScalarValue.FromDouble(value)));
        }

        return ResourceSet.Of(resources);
    }
}
