namespace Mesos.Projections.Views;

/// <summary>One point of the utilisation chart: the cluster's used and total resources as of an event.</summary>
public sealed record UtilisationSample(
    long Position,
    DateTimeOffset At,
    double CpusUsed,
    double CpusTotal,
    double MemUsed,
    double MemTotal,
    double DiskUsed,
    double DiskTotal,
    int ActiveTasks);
