using System.Runtime.InteropServices;
using Mesos.Cli;

// SIGINT and SIGTERM cancel the token so that daemons and children stop cleanly; a second signal, while that is
// under way, falls through to the default action and ends the process at once.
using var stopping = new CancellationTokenSource();

void OnSignal(PosixSignalContext context)
{
    if (stopping.IsCancellationRequested)
    {
        return;
    }

    context.Cancel = true;
    stopping.Cancel();
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
return await CliApp.RunAsync(args, CliConsole.FromProcess(), stopping.Token);
