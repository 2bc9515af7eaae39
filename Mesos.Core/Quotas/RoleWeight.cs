namespace Mesos.Core.Quotas;

/// <summary>A role's fair-share weight: a role of weight 2 is entitled to twice the dominant share of a role of weight 1.</summary>
public sealed record RoleWeight(string Role, double Weight);
