using System.Globalization;
using System.Net.Http.Headers;
using Google.Protobuf;
using Mesos.Agent.Http;
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

    /// <summary>Calls are small; a bigger body is refused rather than buffered.</summary>
    private const int MaxBodyBytes = 4 * 1024 * 1024;

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
        if (!HttpMethods.IsPost(request.Method))
        {
            http.Response.Headers.Allow = "POST";
            throw new ApiCallError(StatusCodes.Status405MethodNotAllowed, $"Expecting one of {{ 'POST' }}, but received '{request.Method}'");
        }

        if (string.IsNullOrEmpty(request.ContentType))
        {
            throw ApiCallError.BadRequest("Expecting 'Content-Type' to be present");
        }

        var contentType = MediaType(request.ContentType)
            ?? throw new ApiCallError(StatusCodes.Status415UnsupportedMediaType, "Expecting 'Content-Type' of application/json or application/x-protobuf");

        var body = await ReadBodyAsync(request, http.RequestAborted).ConfigureAwait(false);
        WireExecutor.Call call;
        try
        {
            call = ExecutorWire.ParseCall(body, contentType);
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
            acceptType = AcceptType(request)
                ?? throw new ApiCallError(StatusCodes.Status406NotAcceptable, "Expecting 'Accept' to allow application/json or application/x-protobuf");
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

    internal static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > MaxBodyBytes)
            {
                throw new ApiCallError(StatusCodes.Status413PayloadTooLarge, $"Request body is larger than {MaxBodyBytes} bytes");
            }

            body.Write(buffer, 0, read);
        }

        return body.ToArray();
    }

    internal static string? MediaType(string contentType)
    {
        var mediaType = MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed.MediaType : null;
        return string.Equals(mediaType, ExecutorWire.Json, StringComparison.OrdinalIgnoreCase) ? ExecutorWire.Json
            : string.Equals(mediaType, ExecutorWire.Protobuf, StringComparison.OrdinalIgnoreCase) ? ExecutorWire.Protobuf
            : null;
    }

    /// <summary>JSON when accepted (no <c>Accept</c> accepts anything), else protobuf when accepted, else null (406).</summary>
    internal static string? AcceptType(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        if (accept.Count == 0)
        {
            return ExecutorWire.Json;
        }

        var protobuf = false;
        foreach (var part in accept.SelectMany(v => (v ?? string.Empty).Split(',')))
        {
            if (!MediaTypeWithQualityHeaderValue.TryParse(part.Trim(), out var media) || media.Quality is <= 0)
            {
                continue;
            }

            if (media.MediaType is ExecutorWire.Json or "application/*" or "*/*")
            {
                return ExecutorWire.Json;
            }

            protobuf |= string.Equals(media.MediaType, ExecutorWire.Protobuf, StringComparison.OrdinalIgnoreCase);
        }

        return protobuf ? ExecutorWire.Protobuf : null;
    }
}
