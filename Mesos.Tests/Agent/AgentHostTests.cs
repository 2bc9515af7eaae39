using Mesos.Agent;

namespace Mesos.Tests.Agent;

public sealed class AgentHostTests : IDisposable
{
    private readonly TempDirectory _workDir = new();

    public void Dispose() => _workDir.Dispose();

    [Theory]
    [InlineData("--resources=cpus:two", "resources")]
    [InlineData("--resources=cpus:2;ports:[32000-31000]", "resources")]
    [InlineData("--attributes=rack", "attributes")]
    [InlineData("--no_such_flag=1", "no_such_flag")]
    [InlineData("--port=http", "port")]
    [InlineData("--isolation=network/cni", "'network/cni'")]
    [InlineData("--isolation=posix/cpu,cgroups/bogus", "'cgroups/bogus'")]
    [InlineData("--cgroups_root=../escape", "cgroups_root")]
    [InlineData("--cgroups_enable_cfs=maybe", "cgroups_enable_cfs")]
    public async Task RunAsync_BadFlag_PrintsOneLineNamingItAndExits1(string flag, string named)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await AgentHost.RunAsync(["--master=127.0.0.1:5050", $"--work_dir={_workDir.Path}", "--port=0", flag], output, error, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, exitCode);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.Empty(output.ToString());
        Assert.False(Directory.Exists(Path.Combine(_workDir.Path, "slaves")), "the agent started despite the bad flag");
    }

    [Fact]
    public async Task RunAsync_NoMaster_Exits1()
    {
        using var error = new StringWriter();

        var exitCode = await AgentHost.RunAsync([$"--work_dir={_workDir.Path}"], TextWriter.Null, error, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains("master", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Help_PrintsTheFlagsAndExits0()
    {
        using var output = new StringWriter();

        var exitCode = await AgentHost.RunAsync(["--help"], output, TextWriter.Null, CancellationToken.None);

        Assert.Equal(0, exitCode);
        foreach (var flag in new[] { "--master", "--port", "--work_dir", "--resources", "--attributes", "--registration_backoff_factor" })
        {
            Assert.Contains(flag, output.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RunAsync_GoodFlags_RunsUntilStopped()
    {
        using var stop = new CancellationTokenSource();
        var run = AgentHost.RunAsync(["--master=127.0.0.1:1", $"--work_dir={_workDir.Path}", "--port=0", "--ip=127.0.0.1", "--resources=cpus:1;mem:64"],
            TextWriter.Null, TextWriter.Null, stop.Token);
        await Task.Delay(500);
        Assert.False(run.IsCompleted);

        await stop.CancelAsync();

        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
