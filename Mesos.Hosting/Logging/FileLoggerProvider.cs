using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Mesos.Hosting.Logging;

/// <summary>
/// <c>--log_dir</c>: the daemon's log as glog would write it (<c>I1126 08:50:01.123456 tid category] message</c>)
/// to <c>&lt;log_dir&gt;/&lt;name&gt;.INFO</c>, the file Mesos serves as <c>/master/log</c>. One writer per file is
/// shared by every provider in the process (a standby master and the master it becomes both log), so lines never
/// interleave; each line is flushed, so the file is current when the web UI reads it.
/// </summary>
public sealed class FileLoggerProvider : ILoggerProvider
{
    private static readonly ConcurrentDictionary<string, Writer> Writers = new(StringComparer.Ordinal);

    private readonly Writer _writer;

    public FileLoggerProvider(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _writer = Writers.GetOrAdd(Path, p => new Writer(p));
    }

    /// <summary>The file written: <c>&lt;log_dir&gt;/&lt;name&gt;.INFO</c>.</summary>
    public string Path { get; }

    public static string FileIn(string logDir, string name) => System.IO.Path.Combine(logDir, name + ".INFO");

    public ILogger CreateLogger(string categoryName) => new FileLogger(categoryName, _writer);

    // The writer outlives a provider: the next leadership attempt in the same process appends to the same file.
    public void Dispose()
    {
    }

    private sealed class FileLogger(string category, Writer writer) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var severity = logLevel switch
            {
                LogLevel.Warning => 'W',
                LogLevel.Error => 'E',
                LogLevel.Critical => 'F',
                _ => 'I',
            };
            var now = DateTime.UtcNow;
            var line = new StringBuilder()
                .Append(severity)
                .Append(now.ToString("MMdd HH:mm:ss.ffffff", CultureInfo.InvariantCulture))
                .Append(' ')
                .Append(Environment.CurrentManagedThreadId.ToString(CultureInfo.InvariantCulture))
                .Append(' ')
                .Append(category)
                .Append("] ")
                .Append(formatter(state, exception));
            if (exception is not null)
            {
                line.Append('\n').Append(exception);
            }

            writer.WriteLine(line.Append('\n').ToString());
        }
    }

    private sealed class Writer
    {
        private readonly Lock _gate = new();
        private readonly FileStream _stream;

        public Writer(string path)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        }

        public void WriteLine(string line)
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            lock (_gate)
            {
                _stream.Write(bytes);
                _stream.Flush();
            }
        }
    }
}
