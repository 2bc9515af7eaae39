using System.Collections;
using System.Diagnostics;
using Mesos.Tests.Client.Fakes;

namespace Mesos.Tests.Cli;

public sealed class CliAppTests
{
    [Fact]
    public async Task NoArguments_PrintsUsageOnStderr_Exits1()
    {
        var (exitCode, stdout, stderr) = await CliRunner.RunAsync([]);
        Assert.Equal(1, exitCode);
        Assert.Empty(stdout);
        Assert.StartsWith("Usage: mesos <command>", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("help")]
    public async Task Help_ListsEveryCommand_Exits0(string flag)
    {
        var (exitCode, stdout, stderr) = await CliRunner.RunAsync([flag]);
        Assert.Equal(0, exitCode);
        Assert.Empty(stderr);
        foreach (var command in new[] { "master", "agent", "local", "execute", "agents", "frameworks", "tasks", "cat" })
        {
            Assert.Contains($"\n  {command} ", stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UnknownCommand_NamesItAndPrintsUsageOnStderr_Exits1()
    {
        var (exitCode, stdout, stderr) = await CliRunner.RunAsync(["lanch"]);
        Assert.Equal(1, exitCode);
        Assert.Empty(stdout);
        Assert.StartsWith("Unknown command 'lanch'\nUsage: mesos", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("execute", "--master=", "--name=", "--command=", "--resources=", "--role=", "--framework_name=", "--kill_after=", "--failover_timeout=", "--task_id=", "--connect_timeout=")]
    [InlineData("local", "--port=", "--agent_port=", "--work_dir=", "--resources=")]
    [InlineData("agents", "--master=")]
    [InlineData("frameworks", "--master=")]
    [InlineData("tasks", "--master=", "--[no-]all")]
    [InlineData("cat", "--master=", "--framework=")]
    public async Task SubcommandHelp_NamesItsFlags_Exits0(string command, params string[] flags)
    {
        var (exitCode, stdout, stderr) = await CliRunner.RunAsync([command, "--help"]);
        Assert.Equal(0, exitCode);
        Assert.Empty(stderr);
        Assert.StartsWith($"Usage: mesos {command}", stdout, StringComparison.Ordinal);
        foreach (var flag in flags)
        {
            Assert.Contains(flag, stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new[] { "execute", "--name=x", "--command=true", "--bogus=1" }, "Failed to load unknown flag 'bogus' (see --help for the flags there are)")]
    [InlineData(new[] { "execute", "--command=true" }, "Flag '--name' is required")]
    [InlineData(new[] { "execute", "--name=x", "--command=true", "--kill_after=soon" }, "Failed to load flag 'kill_after' from the command line: 'soon' is not a duration (use a number and one of ns, us, ms, secs, mins, hrs, days, weeks: '15secs')")]
    [InlineData(new[] { "execute", "--name=x", "--command=true", "--resources=cpus:lots" }, "Failed to load flag 'resources': resource 'cpus': 'lots' is not a number; a value is a number, ranges [a-b,...] or a set {a,b,...} (in 'cpus:lots')")]
    [InlineData(new[] { "tasks", "--all=maybe" }, "Failed to load flag 'all' from the command line: 'maybe' is not true or false")]
    [InlineData(new[] { "tasks", "extra" }, "Unexpected argument 'extra': flags look like --name=value")]
    [InlineData(new[] { "agents", "--master=localhost" }, "Invalid master address: 'localhost' is not host:port (for example 127.0.0.1:5050)")]
    [InlineData(new[] { "local", "--port=0" }, "Failed to load flag 'port': 0 is not a port (1-65535)")]
    [InlineData(new[] { "cat", "task-1" }, "Expected a task id and stdout or stderr: mesos cat TASK_ID stdout|stderr")]
    [InlineData(new[] { "cat", "task-1", "stdlog" }, "Expected a task id and stdout or stderr: mesos cat TASK_ID stdout|stderr")]
    public async Task BadArguments_OneLineOnStderr_Exits1(string[] args, string message)
    {
        var (exitCode, stdout, stderr) = await CliRunner.RunAsync(args);
        Assert.Equal(1, exitCode);
        Assert.Empty(stdout);
        Assert.Equal(message + "\n", stderr);
    }

    [Fact]
    public async Task FlagFromEnvironment_IsUsed_AndTheCommandLineWins()
    {
        var closed = $"127.0.0.1:{FakeMaster.ClosedPort()}";
        var environment = new Hashtable { ["MESOS_master"] = "not-an-address" };

        var fromEnvironment = await CliRunner.RunAsync(["agents"], environment);
        var fromCommandLine = await CliRunner.RunAsync(["agents", "--master", closed], environment);

        Assert.Equal("Invalid master address: 'not-an-address' is not host:port (for example 127.0.0.1:5050)\n", fromEnvironment.Error);
        Assert.Equal($"Failed to connect to master at {closed}: Connection refused\n", fromCommandLine.Error);
    }

    [Fact]
    public async Task Execute_UnreachableMaster_OneLine_Exits1_WithinTheBound()
    {
        var address = $"127.0.0.1:{FakeMaster.ClosedPort()}";
        var clock = Stopwatch.StartNew();

        var (exitCode, stdout, stderr) = await CliRunner.RunAsync(
            ["execute", "--master", address, "--name", "hello", "--command", "echo hello", "--connect_timeout=2secs"]);

        Assert.Equal(1, exitCode);
        Assert.Empty(stdout);
        Assert.Equal($"Failed to connect to master at {address}: Connection refused\n", stderr);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(8));
    }

    [Theory]
    [InlineData("agents")]
    [InlineData("frameworks")]
    [InlineData("tasks")]
    public async Task Tables_UnreachableMaster_OneLine_Exits1(string command)
    {
        var address = $"127.0.0.1:{FakeMaster.ClosedPort()}";
        var (exitCode, _, stderr) = await CliRunner.RunAsync([command, $"--master={address}"]);
        Assert.Equal(1, exitCode);
        Assert.Equal($"Failed to connect to master at {address}: Connection refused\n", stderr);
    }

    [Fact]
    public async Task Version_PrintsOneLine_Exits0()
    {
        var (exitCode, stdout, stderr) = await CliRunner.RunAsync(["--version"]);
        Assert.Equal(0, exitCode);
        Assert.Empty(stderr);
        Assert.StartsWith("mesos ", stdout, StringComparison.Ordinal);
        Assert.Single(stdout.TrimEnd().Split('\n'));
    }
}
