using System.Globalization;
using Google.Protobuf;
using Mesos.Agent.Http;
using Mesos.Hosting.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Wire = Mesos.Protocol.Wire;
using WireExecutor = Mesos.Protocol.Wire.Executor;

namespace Mesos.Agent.ExecutorApi;

/// <summary>
/// Mesos 1.11's v1 executor API, <c>POST /api/v1/executor</c> on the agent, in JSON or protobuf. SUBSCRIBE answers 200
/// with a RecordIO stream of events; UPDATE, MESSAGE and HEARTBEAT answer 202. Checks, status codes and messages are
/// in the order and wording of Mesos' agent (<c>src/slave/http.cpp</c>, <c>src/executor/validation.cpp</c>).
/// </summary>
internal static class ExecutorHttpEndpoint
{
    public const string Path = "/api/v1/executor";

    public static void Map(WebApplication app, AgentCore core, ILogger log)
    {
        foreach (var prefix in new[] { string.Empty, "/slave(1)" })
        {
            app.Map(prefix + Path, http => HandleAsync(http, core, log));
        }
    }

    private static async Task HandleAsync(HttpContext http, AgentCore core, ILogger log)
    {
        try
        {
            await DispatchAsync(http, core, log).ConfigureAwait(false);
        }
        catch (ApiCallError error) when (!http.Response.HasStarted)
        {
            http.Response.StatusCode = error.StatusCode;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync(error.Message, http.RequestAborted).ConfigureAwait(false);
        }
    }

    private static async Task DispatchAsync(HttpContext http, AgentCore core, ILogger log)
    {
        var request = http.Request;
        var body = await ApiCallBody.ReadAsync(request, http.RequestAborted).ConfigureAwait(false);
        WireExecutor.Call call;
        try
        {
            call = ExecutorWire.ParseCall(body.Bytes, body.ContentType);
        }
        catch (FormatException e)
        {
            throw ApiCallError.BadRequest(e.Message);
        }

        if (Validate(call) is { } invalid)
        {
            throw ApiCallError.BadRequest("Failed to validate Executor::Call: " + invalid);
        }

        string? acceptType = null;
        if (call.Type == WireExecutor.Call.Types.Type.Subscribe)
        {
            acceptType = ApiMediaTypes.ResponseType(request) ?? throw ApiCallError.NotAcceptable();
        }

        if (core.AgentId is null)
        {
            throw new ApiCallError(StatusCodes.Status503ServiceUnavailable, "Agent has not finished recovery");
        }

        var frameworkId = call.FrameworkId.Value;
        var executorId = call.ExecutorId.Value;
        if (!core.HasFramework(frameworkId))
        {
            throw ApiCallError.BadRequest("Framework cannot be found");
        }

        var executor = core.Executors.Find(frameworkId, executorId) ?? throw ApiCallError.BadRequest("Executor cannot be found");
        if (executor.Phase == ExecutorPhase.Registering && call.Type != WireExecutor.Call.Types.Type.Subscribe)
        {
            throw new ApiCallError(StatusCodes.Status403Forbidden, "Executor is not subscribed");
        }

        switch (call.Type)
        {
            case WireExecutor.Call.Types.Type.Subscribe:
                await StreamAsync(http, executor, executor.Subscribe(call.Subscribe, acceptType!), log).ConfigureAwait(false);
                return;
            case WireExecutor.Call.Types.Type.Update:
                executor.Update(call.Update.Status);
                break;
            case WireExecutor.Call.Types.Type.Message:
                // Best effort in Mesos: relayed to the master for the framework, not retried.
                core.Executors.MessageToFramework?.Invoke(executor, call.Message.Data);
                break;
            case WireExecutor.Call.Types.Type.Heartbeat:
                break;
            default:
                throw new ApiCallError(StatusCodes.Status501NotImplemented, "Received 'UNKNOWN' call");
        }

        http.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private static async Task StreamAsync(HttpContext http, CustomExecutor executor, ExecutorConnection connection, ILogger log)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = connection.ContentType;
        http.Response.Headers.CacheControl = "no-cache";
        log.LogInformation("Executor {ExecutorId} of framework {FrameworkId} subscribed", executor.ExecutorId, executor.FrameworkId);
        var stream = http.Response.Body;
        try
        {
            await http.Response.StartAsync(http.RequestAborted).ConfigureAwait(false);
            await foreach (var record in connection.Records.ReadAllAsync(http.RequestAborted).ConfigureAwait(false))
            {
                var header = System.Text.Encoding.ASCII.GetBytes(record.Length.ToString(CultureInfo.InvariantCulture) + "\n");
                await stream.WriteAsync(header, http.RequestAborted).ConfigureAwait(false);
                await stream.WriteAsync(record, http.RequestAborted).ConfigureAwait(false);
                await stream.FlushAsync(http.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The executor went away; it may subscribe again.
        }
        finally
        {
            executor.Disconnected(connection);
        }
    }

    /// <summary>Mesos' <c>executor::validation::call::validate</c>; null when the call is valid.</summary>
    private static string? Validate(WireExecutor.Call call)
    {
        if (!call.IsInitialized())
        {
            return "Not initialized: " + string.Join(", ", Missing(call));
        }

        if (!call.HasType)
        {
            return "Expecting 'type' to be present";
        }

        switch (call.Type)
        {
            case WireExecutor.Call.Types.Type.Subscribe:
                return call.Subscribe is null ? "Expecting 'subscribe' to be present" : null;
            case WireExecutor.Call.Types.Type.Update:
                if (call.Update is null)
                {
                    return "Expecting 'update' to be present";
                }

                var status = call.Update.Status;
                if (!status.HasUuid)
                {
                    return "Expecting 'uuid' to be present";
                }

                if (status.Uuid.Length != 16)
                {
                    return $"Invalid UUID: {status.Uuid.Length} bytes where a UUID has 16";
                }

                if (status.ExecutorId is { } id && id.Value != call.ExecutorId.Value)
                {
                    return $"ExecutorID in Call: {call.ExecutorId.Value} does not match ExecutorID in TaskStatus: {id.Value}";
                }

                if (status.Source != Wire.TaskStatus.Types.Source.Executor)
                {
                    return $"Received Call from executor {call.ExecutorId.Value} of framework {call.FrameworkId.Value} with invalid source, expecting 'SOURCE_EXECUTOR'";
                }

                return status.State == Wire.TaskState.TaskStaging
                    ? $"Received TASK_STAGING from executor {call.ExecutorId.Value} of framework {call.FrameworkId.Value} which is not allowed"
                    : null;
            case WireExecutor.Call.Types.Type.Message:
                return call.Message is null ? "Expecting 'message' to be present" : null;
            default:
                return null;
        }
    }

    private static IEnumerable<string> Missing(WireExecutor.Call call)
    {
        if (call.ExecutorId is null || !call.ExecutorId.HasValue)
        {
            yield return "executor_id";
        }

        if (call.FrameworkId is null || !call.FrameworkId.HasValue)
        {
            yield return "framework_id";
        }

        if (call.Update is { } update && !update.IsInitialized())
        {
            yield return "update.status";
        }

        if (call.Message is { } message && !message.IsInitialized())
        {
            yield return "message.data";
        }
    }
}
