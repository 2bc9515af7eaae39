using System.Diagnostics;

namespace Mesos.Cli.Local;

/// <summary>A daemon started by <c>mesos local</c>: its output lines are copied to ours behind a <c>[label]</c> prefix.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process process;
    private readonly Task pumps;

    private ChildProcess(string label, Process process, TextWriter output, TextWriter errors)
    {
        Label = label;
        this.process = process;
        pumps = Task.WhenAll(
            PumpAsync(process.StandardOutput, output, label),
            PumpAsync(process.StandardError, errors, label));
        Exited = WaitAsync();
    }

    public string Label { get; }

    public int Id => process.Id;

    /// <summary>Completes with the exit code once the process has exited and its output has been copied.</summary>
    public Task<int> Exited { get; }

    public static ChildProcess Start(string label, string fileName, IEnumerable<string> arguments, TextWriter output, TextWriter errors)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new CliError($"Failed to start the {label}: {fileName}");
        return new ChildProcess(label, process, output, errors);
    }

    /// <summary>SIGTERM, then SIGKILL if it has not exited within <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        PosixSignals.Terminate(process.Id);
        using var bound = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Exited between the timeout and the kill.
            }

            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    public void Dispose() => process.Dispose();

    private static async Task PumpAsync(StreamReader from, TextWriter to, string label)
    {
        while (await from.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            await to.WriteLineAsync($"[{label}] {line}").ConfigureAwait(false);
        }
    }

    private async Task<int> WaitAsync()
    {
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);

        // Bounded: a task the agent started may have inherited the pipe and keep it open after the agent is gone.
        await Task.WhenAny(pumps, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false);
        return process.ExitCode;
    }
}
