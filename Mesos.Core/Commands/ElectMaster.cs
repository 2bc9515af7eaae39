using Mesos.Core.Masters;

namespace Mesos.Core.Commands;

/// <summary>Take the lead: appended once per master start, after the log is replayed.</summary>
public sealed record ElectMaster(MasterIdentity Master) : MasterCommand;
