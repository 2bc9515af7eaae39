using System.Collections;
using System.Diagnostics;
using System.Net.Sockets;
using Mesos.Cli;
using Mesos.Cli.Commands;
using Mesos.Tests.Client.Fakes;

namespace Mesos.Tests.Cli;

/// <summary>
/// <c>mesos local</c>'s orchestration with stand-in daemons (real processes): a python web server answering
/// <c>/health</c> as the master, a shell as the agent.
/// </summary>
public sealed class LocalCommandTests : IDisposable
{
    private readonly string workDir = Directory.CreateTempSubdirectory("mesos-local-test").FullName;
    private readonly StringWriter stdout = new() { NewLine = "\n" };
    private readonly StringWriter stderr = new() { NewLine = "\n" };
    private readonly TextWriter syncOut;
    private readonly TextWriter syncError;

    public LocalCommandTests()
    {
        syncOut = TextWriter.Synchronized(stdout);
        syncError = TextWriter.Synchronized(stderr);
    }

    public void Dispose() => Directory.Delete(workDir, recursive: true);

    [Fact]
    public async Task Interrupt_StopsBothDaemons_Exits0()
    {
        var port = FakeMaster.ClosedPort();
        using var stop = new CancellationTokenSource();
        var run = RunAsync(port, "echo agent up with $*; exec sleep 1000", stop.Token);

        await WaitForOutputAsync("[agent] agent up with --master=127.0.0.1:" + port);
        Assert.Contains($"Mesos is running: web UI at http://localhost:{port}/\n", Out(), StringComparison.Ordinal);
        Assert.Contains($"./mesos execute --master 127.0.0.1:{port} --name hello --command 'echo hello'", Out(), StringComparison.Ordinal);
        Assert.Contains($"--work_dir={workDir}/agent", Out(), StringComparison.Ordinal);
        var clock = Stopwatch.StartNew();
        await stop.CancelAsync();

        Assert.Equal(0, await run);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(8));
        Assert.EndsWith("Stopped the master and the agent\n", Out(), StringComparison.Ordinal);
        Assert.False(await AcceptsAsync(port), "the master should be gone");
        Assert.True(Directory.Exists(Path.Combine(workDir, "master")));
    }

    [Fact]
    public async Task AgentDies_StopsTheMaster_ExitsWithItsCode()
    {
        var port = FakeMaster.ClosedPort();

        var exitCode = await RunAsync(port, "echo giving up >&2; exit 3", CancellationToken.None);

        Assert.Equal(3, exitCode);
        string errors;
        lock (syncError)
        {
            errors = stderr.ToString();
        }

        Assert.Contains("[agent] giving up\n", errors, StringComparison.Ordinal);
        Assert.Contains("The agent exited with code 3; stopping\n", errors, StringComparison.Ordinal);
        Assert.False(await AcceptsAsync(port), "the master should be gone");
    }

    private Task<int> RunAsync(int port, string agentScript, CancellationToken stopping)
    {
        var served = Directory.CreateDirectory(Path.Combine(workDir, "served")).FullName;
        File.WriteAllText(Path.Combine(served, "health"), "OK");
        var command = new LocalCommand((daemon, flags) => daemon == "master"
            ? ("python3", ["-m", "http.server", flags[0]["--port=".Length..], "--bind", "127.0.0.1", "--directory", served])
            : ("/bin/sh", ["-c", agentScript, "agent", .. flags]));
        var console = new CliConsole(syncOut, syncError, null, new Hashtable());
        return command.RunAsync([$"--port={port}", $"--work_dir={workDir}"], console, stopping);
    }

    private string Out()
    {
        lock (syncOut)
        {
            return stdout.ToString();
        }
    }

    private async Task WaitForOutputAsync(string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!Out().Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no '{text}' in:\n{Out()}");
            await Task.Delay(50);
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
