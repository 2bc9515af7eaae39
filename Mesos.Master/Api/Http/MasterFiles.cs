using Mesos.Hosting.Files;
using Mesos.Hosting.Logging;
using Mesos.Master.Configuration;

namespace Mesos.Master.Api.Http;

/// <summary>
/// What the master serves under <c>/files</c> and through LIST_FILES / READ_FILE: its own log, as <c>/master/log</c>,
/// when <c>--log_dir</c> is set. Mesos' master attaches nothing else; sandboxes are the agents' to serve.
/// </summary>
public static class MasterFiles
{
    public const string LogPath = "/master/log";

    public static AttachedFiles Of(MasterOptions options)
    {
        var files = new AttachedFiles();
        if (options.LogDir is { } logDir)
        {
            files.Attach(FileLoggerProvider.FileIn(logDir, "mesos-master"), LogPath);
        }

        return files;
    }
}
