using Mediator;
using Mesos.Core.Commands;
using Mesos.Master.Loop;

namespace Mesos.Master.Application;

/// <summary>
/// Every state-changing request from every edge (gRPC now, the v1 HTTP APIs later) is a core command sent
/// through here, so that all edges share one path into the master loop.
/// </summary>
public sealed record Submit(MasterCommand Command, Action<CommandResult>? OnCommitted = null) : ICommand<CommandResult>;
