namespace Mesos.Agent.Containerizer;

/// <summary>A container's usage at one moment, in Mesos' ResourceStatistics units; null where the source has no figure.</summary>
public sealed record ResourceUsage(
    double? CpusUserTimeSecs,
    double? CpusSystemTimeSecs,
    long? MemRssBytes,
    long? MemTotalBytes,
    long? CpusNrPeriods,
    long? CpusNrThrottled,
    double? CpusThrottledTimeSecs,
    int Processes);
