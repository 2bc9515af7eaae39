namespace Mesos.Agent.Containerizer;

/// <summary>The container could not be started; the message says why and becomes the TASK_FAILED message.</summary>
public sealed class ContainerLaunchException(string message, Exception? inner = null) : Exception(message, inner);
