namespace Mesos.Client;

/// <summary>One reply of the agent's <c>/files/read</c>: the bytes at <see cref="Offset"/>; empty at the end of the file.</summary>
public sealed record AgentFileChunk(long Offset, ReadOnlyMemory<byte> Data);
