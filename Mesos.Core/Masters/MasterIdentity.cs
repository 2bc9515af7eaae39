namespace Mesos.Core.Masters;

/// <summary>Who leads: Mesos' MasterInfo. A new identity is elected on every master start.</summary>
public sealed record MasterIdentity(string Id, string Hostname, string Ip, int Port, string Version);
