namespace Mesos.Core.Tasks;

public sealed record EnvironmentVariable(string Name, string Value);
