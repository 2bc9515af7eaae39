namespace Mesos.Agent.Containerizer;

/// <summary>Which limit: each maps to Mesos' REASON_CONTAINER_LIMITATION_* reason.</summary>
public enum ContainerLimitationKind
{
    Memory,
}
