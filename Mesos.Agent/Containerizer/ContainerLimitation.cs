namespace Mesos.Agent.Containerizer;

/// <summary>A limit the container hit and was killed for; the message becomes the TASK_FAILED message.</summary>
public sealed record ContainerLimitation(ContainerLimitationKind Kind, string Message);
