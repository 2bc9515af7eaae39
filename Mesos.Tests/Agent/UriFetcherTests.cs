using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using Mesos.Agent.Containerizer;
using Mesos.Protocol.V1;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Tests.Agent;

public sealed class UriFetcherTests : IDisposable
{
    private readonly TempDirectory _workDir = new();
    private readonly TempDirectory _source = new();

    public void Dispose()
    {
        _workDir.Dispose();
        _source.Dispose();
    }

    private async Task<(CommandExecutorRun Run, string Stdout)> RunAsync(string command, params CommandInfo.Types.URI[] uris)
    {
        var collector = new StatusCollector();
        var launch = TaskLaunches.Shell(_workDir.Path, command);
        launch.Task.Command.Uris.AddRange(uris);
        var executor = TaskLaunches.Executor(launch, collector, new PosixContainerizer());
        await executor.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        var stdout = await File.ReadAllTextAsync(Path.Combine(executor.Directory, "stdout"));
        return (new CommandExecutorRun(collector.Statuses, executor.Directory), stdout);
    }

    [Fact]
    public async Task LocalExecutable_IsCopiedIntoTheSandboxAndRuns()
    {
        var script = Path.Combine(_source.Path, "hello.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho fetched\n");

        var (run, stdout) = await RunAsync("./hello.sh", new CommandInfo.Types.URI { Value = script, Executable = true });

        Assert.Equal(TaskState.TaskFinished, run.Statuses[^1].State);
        Assert.Equal("fetched\n", stdout);
    }

    [Fact]
    public async Task TarGz_IsExtractedAndKept_OutputFileRenames()
    {
        var content = Path.Combine(_source.Path, "content");
        Directory.CreateDirectory(content);
        await File.WriteAllTextAsync(Path.Combine(content, "inside.txt"), "from tar");
        var archive = Path.Combine(_source.Path, "bundle.tar.gz");
        await RunToolAsync("tar", "-C", content, "-czf", archive, "inside.txt");
        var plain = Path.Combine(_source.Path, "data.bin");
        await File.WriteAllTextAsync(plain, "plain");

        var (run, stdout) = await RunAsync("cat inside.txt; echo; cat renamed.txt; test -f bundle.tar.gz && echo kept",
            new CommandInfo.Types.URI { Value = "file://" + archive },
            new CommandInfo.Types.URI { Value = plain, OutputFile = "renamed.txt" });

        Assert.Equal(TaskState.TaskFinished, run.Statuses[^1].State);
        Assert.Equal("from tar\nplainkept\n", stdout);
    }

    [Fact]
    public async Task Zip_IsExtracted_UnlessExtractIsFalse()
    {
        var archive = Path.Combine(_source.Path, "bundle.zip");
        using (var zip = ZipFile.Open(archive, ZipArchiveMode.Create))
        {
            await using var entry = zip.CreateEntry("zipped.txt").Open();
            await entry.WriteAsync("from zip"u8.ToArray());
        }

        var (run, stdout) = await RunAsync("cat zipped.txt", new CommandInfo.Types.URI { Value = archive });
        var (notExtracted, _) = await RunAsync("test ! -e zipped.txt && test -f bundle.zip", new CommandInfo.Types.URI { Value = archive, Extract = false });

        Assert.Equal("from zip", stdout);
        Assert.Equal(TaskState.TaskFinished, run.Statuses[^1].State);
        Assert.Equal(TaskState.TaskFinished, notExtracted.Statuses[^1].State);
    }

    [Fact]
    public async Task Http_IsDownloaded_AndA404FailsTheLaunchWithTheReason()
    {
        using var server = new TinyHttpServer(request => request.Url!.AbsolutePath == "/files/tool.sh"
            ? (200, "#!/bin/sh\necho over http\n")
            : (404, "no"));

        var (ok, stdout) = await RunAsync("./tool.sh", new CommandInfo.Types.URI { Value = server.Url + "files/tool.sh", Executable = true });
        var (missing, _) = await RunAsync("echo never", new CommandInfo.Types.URI { Value = server.Url + "files/missing.tar.gz" });

        Assert.Equal(TaskState.TaskFinished, ok.Statuses[^1].State);
        Assert.Equal("over http\n", stdout);
        var failed = Assert.Single(missing.Statuses);
        Assert.Equal(TaskState.TaskFailed, failed.State);
        Assert.Equal(TaskStatus.Types.Reason.ContainerLaunchFailed, failed.Reason);
        Assert.Contains("files/missing.tar.gz", failed.Message, StringComparison.Ordinal);
        Assert.Contains("404", failed.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/no/such/file.txt", "/no/such/file.txt")]
    [InlineData("relative/file.txt", "--frameworks_home")]
    [InlineData("ftp://example.invalid/x", "unsupported scheme")]
    public async Task BadUri_FailsTheLaunchNamingIt(string uri, string expected)
    {
        var (run, _) = await RunAsync("echo never", new CommandInfo.Types.URI { Value = uri });

        var failed = Assert.Single(run.Statuses);
        Assert.Equal(TaskState.TaskFailed, failed.State);
        Assert.Equal(TaskStatus.Types.Reason.ContainerLaunchFailed, failed.Reason);
        Assert.Contains(expected, failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutputFileClimbingOutOfTheSandbox_IsRefused()
    {
        var plain = Path.Combine(_source.Path, "data.bin");
        await File.WriteAllTextAsync(plain, "plain");

        var (run, _) = await RunAsync("echo never", new CommandInfo.Types.URI { Value = plain, OutputFile = "../../escaped" });

        Assert.Equal(TaskState.TaskFailed, Assert.Single(run.Statuses).State);
        Assert.Contains("not a file name inside the sandbox", run.Statuses[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorruptArchive_FailsTheLaunchWithTheToolsError()
    {
        var archive = Path.Combine(_source.Path, "broken.tar.gz");
        await File.WriteAllTextAsync(archive, "not gzip at all");

        var (run, _) = await RunAsync("echo never", new CommandInfo.Types.URI { Value = archive });

        Assert.Equal(TaskState.TaskFailed, Assert.Single(run.Statuses).State);
        Assert.Contains("Failed to extract", run.Statuses[0].Message, StringComparison.Ordinal);
    }

    private static async Task RunToolAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
    }

    private sealed record CommandExecutorRun(IReadOnlyList<TaskStatus> Statuses, string Directory);

    /// <summary>An HttpListener on a free 127.0.0.1 port answering with what <c>respond</c> says.</summary>
    private sealed class TinyHttpServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;

        public TinyHttpServer(Func<HttpListenerRequest, (int Status, string Body)> respond)
        {
            for (var attempt = 0; ; attempt++)
            {
                var port = Random.Shared.Next(20000, 60000);
                Url = $"http://127.0.0.1:{port}/";
                _listener.Prefixes.Clear();
                _listener.Prefixes.Add(Url);
                try
                {
                    _listener.Start();
                    break;
                }
                catch (HttpListenerException) when (attempt < 20)
                {
                }
            }

            _loop = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }

                    var (status, body) = respond(context.Request);
                    context.Response.StatusCode = status;
                    var bytes = System.Text.Encoding.UTF8.GetBytes(body);
                    await context.Response.OutputStream.WriteAsync(bytes);
                    context.Response.Close();
                }
            });
        }

        public string Url { get; }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
