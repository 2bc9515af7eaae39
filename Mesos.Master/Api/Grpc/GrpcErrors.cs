using Grpc.Core;
using Mesos.Core.Decisions;

namespace Mesos.Master.Api.Grpc;

/// <summary>Decide's typed refusals as gRPC statuses; the message is decide's, word for word.</summary>
public static class GrpcErrors
{
    public static RpcException ToRpc(DecideError error) => new(new Status(error.Kind switch
    {
        DecideErrorKind.InvalidArgument => StatusCode.InvalidArgument,
        DecideErrorKind.NotFound => StatusCode.NotFound,
        DecideErrorKind.PermissionDenied => StatusCode.PermissionDenied,
        DecideErrorKind.AlreadyApplied => StatusCode.AlreadyExists,
        DecideErrorKind.Conflict => StatusCode.Aborted,
        _ => StatusCode.FailedPrecondition,
    }, error.Message));

    public static RpcException InvalidArgument(string message) => new(new Status(StatusCode.InvalidArgument, message));

    public static RpcException Unavailable(string message) => new(new Status(StatusCode.Unavailable, message));
}
