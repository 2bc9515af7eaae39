using Grpc.Core;

namespace Mesos.Client;

/// <summary>Turns gRPC failures into the one line a user should read.</summary>
public static class RpcErrors
{
    /// <summary>
    /// The innermost cause when the call never reached the master ("Connection refused"), else the master's
    /// own detail. gRPC's message wraps the cause in several layers that say nothing to an operator.
    /// </summary>
    public static string Describe(RpcException exception)
    {
        if (exception.Status.DebugException is { } debug)
        {
            var inner = debug;
            while (inner.InnerException is not null)
            {
                inner = inner.InnerException;
            }

            return StripEndpoint(inner.Message);
        }

        return string.IsNullOrWhiteSpace(exception.Status.Detail)
            ? exception.StatusCode.ToString()
            : exception.Status.Detail;
    }

    /// <summary>Whether a call may succeed against the same or another master later (the master restarted, is away, or is busy).</summary>
    public static bool IsTransient(StatusCode code) => code is StatusCode.Unavailable or StatusCode.DeadlineExceeded
        or StatusCode.Aborted or StatusCode.ResourceExhausted or StatusCode.Unknown or StatusCode.Internal or StatusCode.Cancelled;

    // SocketException messages end with " (127.0.0.1:5050)"; the caller already names the master.
    private static string StripEndpoint(string message)
    {
        var open = message.LastIndexOf(" (", StringComparison.Ordinal);
        return open > 0 && message.EndsWith(')') ? message[..open] : message;
    }
}
