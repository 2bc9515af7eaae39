namespace Mesos.Core.Commands;

/// <summary>Timer: disconnected frameworks whose failover timeout ran out are removed.</summary>
public sealed record ExpireFrameworks() : MasterCommand;
