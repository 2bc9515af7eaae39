namespace Mesos.Core.Tasks;

public sealed record TaskLabel(string Key, string Value);
