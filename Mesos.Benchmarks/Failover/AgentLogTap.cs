using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mesos.Benchmarks.Failover;

/// <summary>Keeps what the agents log, so the rig can say which task states an agent itself reported.</summary>
public sealed class AgentLogTap : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyCollection<string> Lines => lines;

    public ILogger CreateLogger(string categoryName) => new Tap(lines);

    public void Dispose()
    {
    }

    private sealed class Tap(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}
