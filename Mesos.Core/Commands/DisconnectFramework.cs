using Mesos.Core.Ids;

namespace Mesos.Core.Commands;

/// <summary>The framework's event stream broke.</summary>
public sealed record DisconnectFramework(FrameworkId FrameworkId) : MasterCommand;
