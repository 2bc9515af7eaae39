namespace Mesos.Core.Tasks;

/// <summary>Mesos' ExecutorInfo.Type, same numbers: DEFAULT is the agent's built-in executor for task groups.</summary>
public enum ExecutorType
{
    Unknown = 0,
    Default = 1,
    Custom = 2,
}
