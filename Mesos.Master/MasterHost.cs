using Mesos.EventLog.Marten;
using Mesos.EventLog.Serialization;
using Mesos.EventLog.Sqlite;
using Mesos.Hosting.Flags;
using Mesos.Master.Configuration;

namespace Mesos.Master;

/// <summary>The master daemon's entry point, used by <c>mesos master</c>.</summary>
public static class MasterHost
{
    /// <summary>Runs the master until <paramref name="stopping"/> fires; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken stopping)
    {
        if (args.Any(a => a is "--help" or "-h"))
        {
            Console.Out.Write(FlagParser.Help(MasterFlags.Usage, MasterFlags.All));
            return 0;
        }

        MasterOptions options;
        try
        {
            options = MasterOptions.FromFlags(FlagParser.Parse(MasterFlags.All, args, Environment.GetEnvironmentVariables()));
        }
        catch (FlagError ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 1;
        }

        MasterServer master;
        try
        {
            master = await MasterServer.StartAsync(options, stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or EventDecodeException or EventLogFileException
                                       or InvalidOperationException or System.Net.Sockets.SocketException or RegistryException)
        {
            await Console.Error.WriteLineAsync("Master failed to start: " + ex.Message).ConfigureAwait(false);
            return 1;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }

        await using (master.ConfigureAwait(false))
        {
            try
            {
                await master.WaitForShutdownAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return master.Failed ? 1 : Environment.ExitCode;
    }
}
