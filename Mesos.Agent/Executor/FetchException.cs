namespace Mesos.Agent.Executor;

/// <summary>A URI could not be fetched into the sandbox; the message names it and why, and becomes the TASK_FAILED message.</summary>
public sealed class FetchException(string message, Exception? inner = null) : Exception(message, inner);
