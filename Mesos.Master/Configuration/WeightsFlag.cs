using System.Globalization;
using Mesos.Core.Quotas;
using Mesos.Core.Resources;
using Mesos.Hosting.Flags;

namespace Mesos.Master.Configuration;

/// <summary>Mesos' <c>--weights=role=2,other=1</c>: positive weights for valid roles, each role once.</summary>
public static class WeightsFlag
{
    public static IReadOnlyList<RoleWeight> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var weights = new List<RoleWeight>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.LastIndexOf('=');
            if (equals <= 0)
            {
                throw new FlagError($"Flag '--weights': '{part}' is not role=weight");
            }

            var role = part[..equals].Trim();
            if (!Roles.IsValid(role, out var error))
            {
                throw new FlagError($"Flag '--weights': {error}");
            }

            if (!double.TryParse(part[(equals + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight)
                || !double.IsFinite(weight) || weight <= 0)
            {
                throw new FlagError($"Flag '--weights': the weight of '{role}' must be a positive number");
            }

            if (weights.Any(w => w.Role == role))
            {
                throw new FlagError($"Flag '--weights': role '{role}' is given more than once");
            }

            weights.Add(new RoleWeight(role, weight));
        }

        return weights;
    }
}
