namespace Mesos.Agent.Containerizer;

/// <summary>A container that can say what it uses and what it is limited to (for <c>/monitor/statistics</c>).</summary>
public interface IContainerUsage
{
    double? CpusLimit { get; }

    long? MemoryLimitBytes { get; }

    ResourceUsage Usage();
}
