namespace Mesos.Core.Tasks;

/// <summary>Mesos' HealthCheck.HTTPCheckInfo; empty <paramref name="Scheme"/> and <paramref name="Path"/> mean Mesos' defaults (http, "/").</summary>
public sealed record HttpHealthCheck(string Scheme, uint Port, string Path);
