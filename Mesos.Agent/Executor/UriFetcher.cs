using System.Diagnostics;
using Mesos.Agent.Containerizer;
using Mesos.Protocol.V1;

namespace Mesos.Agent.Executor;

/// <summary>
/// Mesos' fetcher, without its cache: each CommandInfo URI (a local path, <c>file://</c>, <c>http://</c> or
/// <c>https://</c>) is copied into the sandbox under <c>output_file</c> or its last path segment, made executable
/// when asked, and unpacked there when it is an archive and <c>extract</c> is not false.
/// </summary>
public sealed class UriFetcher
{
    private static readonly string[] TarSuffixes = [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz"];

    private readonly HttpClient _http;

    public UriFetcher(HttpClient? http = null) =>
        _http = http ?? new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromMinutes(10) };

    public async Task FetchAsync(IEnumerable<CommandInfo.Types.URI> uris, string sandbox, TaskUser? user, CancellationToken cancellationToken)
    {
        foreach (var uri in uris)
        {
            await FetchOneAsync(uri, sandbox, user, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FetchOneAsync(CommandInfo.Types.URI uri, string sandbox, TaskUser? user, CancellationToken cancellationToken)
    {
        var value = uri.Value.Trim();
        if (value.Length == 0)
        {
            throw new FetchException("Failed to fetch '': the URI is empty");
        }

        var remote = value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        var local = value.StartsWith("file://", StringComparison.Ordinal) ? value["file://".Length..] : value;
        if (!remote && value.Contains("://", StringComparison.Ordinal) && !value.StartsWith("file://", StringComparison.Ordinal))
        {
            throw new FetchException($"Failed to fetch '{value}': unsupported scheme (local paths, file://, http:// and https:// are)");
        }

        if (!remote && !Path.IsPathRooted(local))
        {
            throw new FetchException($"Failed to fetch '{value}': a relative path needs --frameworks_home, which this agent does not have");
        }

        var name = uri.OutputFile.Length > 0 ? uri.OutputFile : LastSegment(remote ? new Uri(value).AbsolutePath : local);
        var destination = Path.GetFullPath(Path.Combine(sandbox, name));
        if (name.Length == 0 || !destination.StartsWith(Path.GetFullPath(sandbox) + "/", StringComparison.Ordinal))
        {
            throw new FetchException($"Failed to fetch '{value}': output file '{name}' is not a file name inside the sandbox");
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            if (remote)
            {
                using var response = await _http.GetAsync(value, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    throw new FetchException($"Failed to fetch '{value}': HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                }

                var file = File.Create(destination);
                await using (file.ConfigureAwait(false))
                {
                    await response.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                File.Copy(local, destination, overwrite: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or TaskCanceledException)
        {
            throw new FetchException($"Failed to fetch '{value}': {e.Message}", e);
        }

        if (user is not null)
        {
            UserAccounts.Chown(destination, user);
        }

        if (uri.Executable && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(destination, File.GetUnixFileMode(destination)
                | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
        else if (!uri.HasExtract || uri.Extract)
        {
            await ExtractAsync(value, destination, sandbox, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ExtractAsync(string value, string archive, string sandbox, CancellationToken cancellationToken)
    {
        string tool;
        string[] arguments;
        if (TarSuffixes.Any(s => archive.EndsWith(s, StringComparison.OrdinalIgnoreCase)))
        {
            (tool, arguments) = ("tar", ["-C", sandbox, "-xf", archive]);
        }
        else if (archive.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            (tool, arguments) = ("unzip", ["-o", "-q", "-d", sandbox, archive]);
        }
        else
        {
            return;
        }

        var start = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start) ?? throw new FetchException($"Failed to extract '{value}': cannot start {tool}");
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = await process.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await output.ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new FetchException($"Failed to extract '{value}': {tool} exited with status {process.ExitCode}: {errors.Trim()}");
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new FetchException($"Failed to extract '{value}': {tool} is not installed ({e.Message})", e);
        }
    }

    private static string LastSegment(string path) => path.TrimEnd('/').Split('/')[^1];
}
