namespace Mesos.Master.Api.Grpc;

/// <summary>A request that does not make sense on the wire; the message names the field.</summary>
public sealed class WireFormatException(string message) : Exception(message);
