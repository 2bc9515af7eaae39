namespace Mesos.EventLog.Port;

/// <summary>Implemented by adapters that count their commits, so tests and benchmarks can see group commit at work.</summary>
public interface IEventLogStatistics
{
    EventLogStatistics Statistics { get; }
}
