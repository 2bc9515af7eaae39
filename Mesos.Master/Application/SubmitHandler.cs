using Mediator;
using Mesos.Master.Loop;

namespace Mesos.Master.Application;

public sealed class SubmitHandler(MasterLoop loop) : ICommandHandler<Submit, CommandResult>
{
    public async ValueTask<CommandResult> Handle(Submit command, CancellationToken cancellationToken) =>
        await loop.SubmitAsync(command.Command, command.OnCommitted).WaitAsync(cancellationToken).ConfigureAwait(false);
}
