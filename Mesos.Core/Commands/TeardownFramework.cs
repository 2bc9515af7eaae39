using Mesos.Core.Ids;

namespace Mesos.Core.Commands;

/// <summary>TEARDOWN, by the framework or an operator.</summary>
public sealed record TeardownFramework(FrameworkId FrameworkId) : MasterCommand;
