namespace Mesos.Agent.Recovery;

/// <summary>A checkpoint that cannot be read; with <c>--strict</c> it stops the agent from starting.</summary>
public sealed class CheckpointException(string message, Exception? inner = null) : IOException(message, inner);
