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
    [InlineData(new[] { "--work_dir=/tmp/x", "--min_allocatable_resources=cpus:0.01||mem:32" }, "Flag '--min_allocatable_resources': 'cpus:0.01||mem:32' has an empty alternative")]
    [InlineData(new[] { "--work_dir=/tmp/x", "--min_allocatable_resources=cpus:lots" }, "Flag '--min_allocatable_resources': resource 'cpus'")]
    [InlineData(new[] { "--work_dir=/tmp/x", "--min_allocatable_resources=ports:[1-2]" }, "Flag '--min_allocatable_resources': 'ports:[1-2]' in 'ports:[1-2]' is not a scalar")]
    [InlineData(new[] { "--work_dir=/tmp/x", "--min_allocatable_resources=cpus(eng):1" }, "Flag '--min_allocatable_resources': 'cpus(eng):1' in 'cpus(eng):1' names a role")]
    [InlineData(new[] { "--work_dir=/tmp/x", "--snapshot_interval=-1" }, "Flag '--snapshot_interval': -1 is negative")]
    [InlineData(new[] { "--work_dir=/tmp/x", "--min_allocatable_resources=cpus:0" }, "Flag '--min_allocatable_resources': 'cpus:0' in 'cpus:0' holds no positive quantity")]
    public void BadFlags_AreRefusedWithAMessageNamingTheFlag(string[] args, string message)
    {
        var error = Assert.Throws<FlagError>(() => MasterOptions.FromFlags(FlagParser.Parse(MasterFlags.All, args, new Hashtable())));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LogDir_ThatCannotBeCreated_IsAFlagError_AndOneThatCanIsMade()
    {
        var file = Path.GetTempFileName();
        try
        {
            var error = Assert.Throws<FlagError>(() => MasterOptions.FromFlags(FlagParser.Parse(MasterFlags.All, ["--work_dir=/tmp/x", $"--log_dir={file}/logs"], new Hashtable())));
            Assert.StartsWith($"Flag '--log_dir': cannot create '{file}/logs'", error.Message, StringComparison.Ordinal);

            var made = Path.Combine(Path.GetTempPath(), "mesos-log-dir-" + Guid.NewGuid().ToString("N"));
            var options = MasterOptions.FromFlags(FlagParser.Parse(MasterFlags.All, ["--work_dir=/tmp/x", $"--log_dir={made}"], new Hashtable()));
            Assert.Equal(made, options.LogDir);
            Assert.True(Directory.Exists(made));
            Directory.Delete(made);
        }
        finally
        {
            File.Delete(file);
        }
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

    [Theory]
    [InlineData(null, "cpus:0.01;mem:0", true)]
    [InlineData(null, "cpus:0.009;mem:31.999", false)]
    [InlineData("disk:1|cpus:1;mem:32", "disk:1", true)]
    [InlineData("disk:1|cpus:1;mem:32", "cpus:1;mem:31", false)]
    [InlineData("disk:1|cpus:1;mem:32", "cpus:1;mem:32", true)]
    public void MinAllocatableResources_DefaultsToMesos_AndTakesAlternatives(string? flag, string offer, bool met)
    {
        string[] args = flag is null ? ["--work_dir=/tmp/x"] : ["--work_dir=/tmp/x", "--min_allocatable_resources=" + flag];

        var options = MasterOptions.FromFlags(FlagParser.Parse(MasterFlags.All, args, new Hashtable()));

        Assert.Equal(flag ?? "cpus:0.01|mem:32", options.MinAllocatableResources.Text);
        Assert.Equal(met, options.MinAllocatableResources.IsMet(Mesos.Core.Resources.ResourceSet.Parse(offer)));
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
