using System.Globalization;
using Mesos.Cli.Local;
using Mesos.Hosting.Flags;

namespace Mesos.Cli.Commands;

/// <summary>
/// <c>mesos local</c>: a master and one agent on this machine, as two child processes of this same tool, for
/// development and demos. Ctrl-C stops both; if either dies, the other is stopped too.
/// </summary>
/// <param name="launcher">How to start a daemon (name, flags): by default this same tool; tests put stand-ins there.</param>
internal sealed class LocalCommand(Func<string, IReadOnlyList<string>, (string Program, IReadOnlyList<string> Arguments)>? launcher = null) : ICliCommand
{
    private const string Usage =
        "Usage: mesos local [flags]\n\n" +
        "Runs a master and one agent on this machine (child processes, output prefixed [master] and [agent]).\n" +
        "Ctrl-C stops both.";

    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(60);

    private static readonly IReadOnlyList<FlagDefinition> Definitions =
    [
        FlagDefinition.Int("port", 5050, "Port of the master (web UI, APIs)"),
        FlagDefinition.Int("agent_port", 5051, "Port of the agent"),
        FlagDefinition.String("work_dir", null, "Directory for the master's and the agent's state (<work_dir>/master, <work_dir>/agent); default ./.mesos/local, or /tmp/mesos/local when the current directory is not writable"),
        FlagDefinition.String("resources", null, "The agent's resources, e.g. cpus:2;mem:2048;disk:10240;ports:[31000-32000] (default: detected)"),
    ];

    public string Name => "local";

    public string Summary => "Run a master and one agent on this machine, for development";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken)
    {
        if (CommandLine.WantsHelp(args))
        {
            await console.Out.WriteAsync(FlagParser.Help(Usage, Definitions)).ConfigureAwait(false);
            return 0;
        }

        var flags = CommandLine.ParseFlagsOnly(Definitions, args, console.Environment);
        var port = Port(flags, "port");
        var agentPort = Port(flags, "agent_port");
        var workDir = Path.GetFullPath(flags.String("work_dir") ?? DefaultWorkDir());
        try
        {
            Directory.CreateDirectory(Path.Combine(workDir, "master"));
            Directory.CreateDirectory(Path.Combine(workDir, "agent"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliError($"Cannot create the work directory {workDir}: {e.Message}");
        }

        var launch = launcher ?? SelfInvocation;
        var (masterProgram, masterArgs) = launch("master", [Flag("port", port), $"--work_dir={Path.Combine(workDir, "master")}"]);
        List<string> agentFlags =
        [
            $"--master=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", Flag("port", agentPort),
            $"--work_dir={Path.Combine(workDir, "agent")}",
        ];
        if (flags.String("resources") is { } resources)
        {
            agentFlags.Add($"--resources={resources}");
        }

        var (agentProgram, agentArgs) = launch("agent", agentFlags);
        using var master = ChildProcess.Start("master", masterProgram, masterArgs, console.Out, console.Error);
        ChildProcess? agent = null;
        try
        {
            var healthy = await WaitForHealthAsync(port, master, cancellationToken).ConfigureAwait(false);
            if (!healthy)
            {
                return await FailAsync(console, master, agent, cancellationToken).ConfigureAwait(false);
            }

            agent = ChildProcess.Start("agent", agentProgram, agentArgs, console.Out, console.Error);
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""
                Mesos is running: web UI at http://localhost:{port}/
                Run a task:  ./mesos execute --master 127.0.0.1:{port} --name hello --command 'echo hello'
                Then:        ./mesos tasks --all --master 127.0.0.1:{port}
                State in {workDir}. Press Ctrl-C to stop.
                """)).ConfigureAwait(false);

            var stopped = Task.Delay(Timeout.Infinite, cancellationToken);
            await Task.WhenAny(master.Exited, agent.Exited, stopped).ConfigureAwait(false);
            return await FailAsync(console, master, agent, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            agent?.Dispose();
        }
    }

    private static async Task<int> FailAsync(CliConsole console, ChildProcess master, ChildProcess? agent, CancellationToken cancellationToken)
    {
        // Ctrl-C reaches the children too (same process group), so one of them may exit just before our own
        // handler has run; give the signal a moment to arrive before calling the exit a failure.
        if (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        var interrupted = cancellationToken.IsCancellationRequested;
        var dead = master.Exited.IsCompleted ? master : agent is { Exited.IsCompleted: true } ? agent : null;
        if (!interrupted && dead is not null)
        {
            await console.Error.WriteLineAsync($"The {dead.Label} exited with code {dead.Exited.Result}; stopping").ConfigureAwait(false);
        }

        await Task.WhenAll(master.StopAsync(StopGrace), agent?.StopAsync(StopGrace) ?? Task.CompletedTask).ConfigureAwait(false);
        if (interrupted)
        {
            await console.Out.WriteLineAsync("Stopped the master and the agent").ConfigureAwait(false);
            return 0;
        }

        return dead is not null && dead.Exited.Result != 0 ? dead.Exited.Result : 1;
    }

    /// <summary>Polls the master's <c>/health</c>; false when the master exited or did not answer in time.</summary>
    private static async Task<bool> WaitForHealthAsync(int port, ChildProcess master, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var url = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/health"));
        var deadline = DateTime.UtcNow + HealthTimeout;
        while (DateTime.UtcNow < deadline && !master.Exited.IsCompleted && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.WhenAny(master.Exited, Task.Delay(TimeSpan.FromMilliseconds(250), CancellationToken.None)).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>
    /// <c>mesos &lt;daemon&gt; flags</c> with this same tool: its apphost, or <c>dotnet mesos.dll</c> when it runs
    /// through <c>dotnet</c> (as <c>./mesos</c> does).
    /// </summary>
    internal static (string Program, IReadOnlyList<string> Arguments) SelfInvocation(string daemon, IReadOnlyList<string> flags)
    {
        var processPath = Environment.ProcessPath ?? throw new CliError("Cannot tell which executable is running, to start the master and agent");
        return Path.GetFileNameWithoutExtension(processPath) == "dotnet"
            ? (processPath, [typeof(LocalCommand).Assembly.Location, daemon, .. flags])
            : (processPath, [daemon, .. flags]);
    }

    private static string DefaultWorkDir()
    {
        var local = Path.Combine(Environment.CurrentDirectory, ".mesos", "local");
        try
        {
            Directory.CreateDirectory(local);
            return local;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return Path.Combine(Path.GetTempPath(), "mesos", "local");
        }
    }

    private static int Port(FlagValues flags, string name)
    {
        var port = flags.Int(name);
        return port is > 0 and <= 65535 ? port : throw new FlagError($"Failed to load flag '{name}': {port} is not a port (1-65535)");
    }

    private static string Flag(string name, int value) => string.Create(CultureInfo.InvariantCulture, $"--{name}={value}");
}
