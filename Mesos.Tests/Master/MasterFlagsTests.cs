using System.Collections;
using Mesos.Hosting.Flags;
using Mesos.Master;
using Mesos.Master.Configuration;

namespace Mesos.Tests.Master;

public sealed class MasterFlagsTests
{
    [Theory]
    [InlineData(new[] { "--port=5050" }, "Flag '--work_dir' is required")]
    [InlineData(new[] { "--work_dir=/tmp/x", "--port=abc" }, "Failed to load flag 'port' from the command line: 'abc' is not an integer")]
    [InlineData(new[] { "--work_dir=/tmp/x", "--port=70000" }, "Flag '--port': 70000 is not a port number")]
    [InlineData(new[] { "--work_dir=/tmp/x", "--registry=zookeeper" }, "Flag '--registry': 'zookeeper' is not supported")]
    [InlineData(new[] { "--work_dir=/tmp/x", "--max_agent_ping_timeouts=0" }, "Flag '--max_agent_ping_timeouts' must be at least 1")]
    [InlineData(new[] { "--work_dir=/tmp/x", "--allocation_interval=0secs" }, "Flag '--allocation_interval' must be positive")]
    [InlineData(new[] { "--work_dir=/tmp/x", "--agent_ping_timeout=soon" }, "Failed to load flag 'agent_ping_timeout' from the command line: 'soon' is not a duration")]
    [InlineData(new[] { "--work_dir=/tmp/x", "--agent_reregister_timeout=9mins" }, "Flag '--agent_reregister_timeout': 9mins is less than the minimum of 10mins")]
    [InlineData(new[] { "--work_dir=/tmp/x", "--agent_reregister_timeout=later" }, "Failed to load flag 'agent_reregister_timeout' from the command line: 'later' is not a duration")]
    [InlineData(new[] { "--work_dir=/tmp/x", "--no_such_flag=1" }, "Failed to load unknown flag 'no_such_flag'")]
    public void BadFlags_AreRefusedWithAMessageNamingTheFlag(string[] args, string message)
    {
        var error = Assert.Throws<FlagError>(() => MasterOptions.FromFlags(FlagParser.Parse(MasterFlags.All, args, new Hashtable())));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_SetsFlags_AndTheCommandLineWins()
    {
        var environment = new Hashtable { ["MESOS_work_dir"] = "/tmp/from-env", ["MESOS_PORT"] = "6000" };

        var options = MasterOptions.FromFlags(FlagParser.Parse(MasterFlags.All, ["--port=7000"], environment));

        Assert.Equal("/tmp/from-env", options.WorkDir);
        Assert.Equal(7000, options.Port);
        Assert.Equal(TimeSpan.FromSeconds(75), options.AgentUnreachableAfter);
        Assert.Equal(TimeSpan.FromMinutes(10), options.AgentReregisterTimeout);
    }

    [Fact]
    public void AgentReregisterTimeout_ComesFromTheFlagOrTheEnvironment()
    {
        var environment = new Hashtable { ["MESOS_AGENT_REREGISTER_TIMEOUT"] = "20mins" };

        Assert.Equal(TimeSpan.FromMinutes(20), MasterOptions.FromFlags(FlagParser.Parse(MasterFlags.All, ["--work_dir=/tmp/x"], environment)).AgentReregisterTimeout);
        Assert.Equal(TimeSpan.FromHours(1), MasterOptions.FromFlags(FlagParser.Parse(MasterFlags.All, ["--work_dir=/tmp/x", "--agent_reregister_timeout=1hrs"], environment)).AgentReregisterTimeout);
    }

    [Fact]
    public async Task RunAsync_WithABadFlag_ExitsOneWithoutStarting()
    {
        Assert.Equal(1, await MasterHost.RunAsync(["--work_dir=/tmp/never-created", "--port=abc"], CancellationToken.None));
        Assert.False(Directory.Exists("/tmp/never-created"));
    }

    [Fact]
    public async Task RunAsync_OnAWorkDirWhoseLogIsNotALog_ExitsOneAndLeavesTheFileAlone()
    {
        var workDir = Integration.TempDirectory.Create("bad-log");
        var log = Path.Combine(workDir, "registry.db");
        await File.WriteAllTextAsync(log, "this is not an event log");

        Assert.Equal(1, await MasterHost.RunAsync([$"--work_dir={workDir}", "--port=0", "--ip=127.0.0.1"], CancellationToken.None));
        Assert.Equal("this is not an event log", await File.ReadAllTextAsync(log));
    }
}
