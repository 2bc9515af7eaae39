using Google.Protobuf;

namespace Mesos.Master.Api.Http;

/// <summary>
/// A v1 scheduler Call read from the wire: its type name, its framework id, and its payload already translated
/// into the gRPC edge's request message, so both edges reach the core through the same mapping.
/// </summary>
public sealed record SchedulerCall(string Type, string? FrameworkId, IMessage? Payload);
