using Mesos.Agent.Configuration;
using Mesos.Hosting.Flags;
using Microsoft.Extensions.Logging;

namespace Mesos.Agent;

/// <summary>The agent daemon's entry point, used by <c>mesos agent</c>: flags in, <see cref="AgentRuntime"/> out.</summary>
public static class AgentHost
{
    /// <summary>Runs the agent until <paramref name="stopping"/> fires; returns the process exit code.</summary>
    public static Task<int> RunAsync(string[] args, CancellationToken stopping) =>
        RunAsync(args, Console.Out, Console.Error, stopping);

    /// <summary>As <see cref="RunAsync(string[], CancellationToken)"/>, writing help and flag errors to the given writers.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken stopping)
    {
        if (args.Any(a => a is "--help" or "-h" or "help"))
        {
            await output.WriteAsync(AgentFlags.Help).ConfigureAwait(false);
            return 0;
        }

        AgentOptions options;
        try
        {
            options = AgentFlags.Parse(args, Environment.GetEnvironmentVariables());
        }
        catch (FlagError e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 1;
        }

        using var loggers = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
            })
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddFilter("Grpc", LogLevel.Warning)
            .AddFilter("System.Net.Http", LogLevel.Warning)
            // A failed start is reported once, in one line, by RunAsync; the host would add a stack trace.
            .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None));

        if (options.Recover == Recovery.RecoverMode.Cleanup)
        {
            var killed = AgentRuntime.Cleanup(options, loggers.CreateLogger("Mesos.Agent"));
            await output.WriteLineAsync($"Cleaned up {killed} running task(s) and the checkpoints in {options.WorkDir}").ConfigureAwait(false);
            return 0;
        }

        AgentRuntime runtime;
        try
        {
            runtime = await AgentRuntime.StartAsync(options, loggers, stopping).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await error.WriteLineAsync($"Failed to start the agent: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (UnauthorizedAccessException e)
        {
            await error.WriteLineAsync($"Failed to start the agent: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (Isolation.IsolationException e)
        {
            await error.WriteLineAsync($"Failed to start the agent: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await runtime.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return 0;
    }
}
