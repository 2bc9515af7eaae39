using Mesos.Core.Events;
using Mesos.EventLog.Sqlite;
using Mesos.Tests.Core.Allocation;
using Mesos.Tests.EventLog;

namespace Mesos.Tests.Cli;

public sealed class VerifyCommandTests
{
    private static async Task<string> WriteAsync(TempDirectory directory, string name, IReadOnlyList<ClusterEvent> events)
    {
        var path = directory.File(name);
        await using var log = await SqliteEventLog.OpenAsync(path, CancellationToken.None);
        await log.AppendAsync(events, expectedPosition: 0, CancellationToken.None);
        return path;
    }

    [Fact]
    public async Task RecordedLog_AllCyclesMatch()
    {
        using var directory = new TempDirectory();
        var events = RecordedRun.Events();
        var path = await WriteAsync(directory, "registry.db", events);

        var (exitCode, stdout, stderr) = await CliRunner.RunAsync(["verify", "--log", path]);

        Assert.Equal("", stderr);
        Assert.Equal(0, exitCode);
        Assert.StartsWith($"all {events.OfType<AllocationCycleRan>().Count()} cycles match", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TamperedLog_NamesTheFirstCycleThatDiffers()
    {
        using var directory = new TempDirectory();
        var tampered = RecordedRun.Tampered(RecordedRun.Events(), 9, out var cycle);
        var path = await WriteAsync(directory, "tampered.db", tampered);

        var (exitCode, stdout, _) = await CliRunner.RunAsync(["verify", "--log", path]);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"cycle {cycle} ", stdout, StringComparison.Ordinal);
        Assert.Contains("differs: offer", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingLog_OneLineError()
    {
        using var directory = new TempDirectory();

        var (exitCode, _, stderr) = await CliRunner.RunAsync(["verify", "--log", directory.File("none.db")]);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("No event log", stderr, StringComparison.Ordinal);
    }
}
