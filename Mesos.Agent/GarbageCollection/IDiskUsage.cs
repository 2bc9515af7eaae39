namespace Mesos.Agent.GarbageCollection;

/// <summary>How full the file system holding a path is, as a fraction between 0 and 1 (Mesos' <c>fs::usage</c>).</summary>
public interface IDiskUsage
{
    double Usage(string path);
}
