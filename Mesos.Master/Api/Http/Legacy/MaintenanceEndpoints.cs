using System.Text.Json;
using Mediator;
using Mesos.Core.Collections;
using Mesos.Core.Commands;
using Mesos.Core.Maintenance;
using Mesos.Master.Api.Http.Operator;
using Mesos.Master.Application;
using Mesos.Master.Loop;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Mesos.Master.Api.Http.Legacy;

/// <summary>
/// Mesos' legacy maintenance endpoints (<c>src/master/http.cpp</c>): <c>/master/maintenance/schedule</c> (GET the
/// schedule, POST a new one; an empty one cancels it), <c>/master/maintenance/status</c>, and <c>/master/machine/down</c>
/// and <c>/up</c> with a JSON array of MachineIDs. They act through the same core commands as the v1 operator calls,
/// and answer as Mesos does: 200, 400 with the reason, 405 naming the methods allowed.
/// </summary>
public static class MaintenanceEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var prefix in new[] { "/master", string.Empty })
        {
            app.Map(prefix + "/maintenance/schedule", Schedule);
            app.Map(prefix + "/maintenance/status", Status);
            app.Map(prefix + "/machine/down", Down);
            app.Map(prefix + "/machine/up", Up);
        }
    }

    private static async Task Schedule(HttpContext http)
    {
        if (HttpMethods.IsGet(http.Request.Method))
        {
            var state = http.RequestServices.GetRequiredService<ClusterStateHolder>().Current.State;
            await LegacyEndpoints.WriteAsync(http, json =>
            {
                json.WriteStartObject();
                MaintenanceJson.WriteSchedule(json, state.Maintenance);
                json.WriteEndObject();
            }).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(http.Request.Method))
        {
            await MethodNotAllowedAsync(http, "GET", "POST").ConfigureAwait(false);
            return;
        }

        var windows = await ReadAsync(http, JsonValueKind.Object, "an object", body => MaintenanceJson.ReadSchedule(body, string.Empty)).ConfigureAwait(false);
        if (windows is { } schedule)
        {
            await SubmitAsync(http, new UpdateMaintenanceSchedule(schedule) { Principal = "operator" }).ConfigureAwait(false);
        }
    }

    private static async Task Status(HttpContext http)
    {
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            await MethodNotAllowedAsync(http, "GET").ConfigureAwait(false);
            return;
        }

        var state = http.RequestServices.GetRequiredService<ClusterStateHolder>().Current.State;
        await LegacyEndpoints.WriteAsync(http, json =>
        {
            json.WriteStartObject();
            MaintenanceJson.WriteStatus(json, state);
            json.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static Task Down(HttpContext http) => MachinesAsync(http, machines => new StartMaintenance(machines) { Principal = "operator" });

    private static Task Up(HttpContext http) => MachinesAsync(http, machines => new StopMaintenance(machines) { Principal = "operator" });

    private static async Task MachinesAsync(HttpContext http, Func<ValueArray<MachineId>, MasterCommand> command)
    {
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            await MethodNotAllowedAsync(http, "POST").ConfigureAwait(false);
            return;
        }

        var machines = await ReadAsync(http, JsonValueKind.Array, "an array", MaintenanceJson.ReadMachineArray).ConfigureAwait(false);
        if (machines is { } ids)
        {
            await SubmitAsync(http, command(ids)).ConfigureAwait(false);
        }
    }

    /// <summary>The body as JSON of the kind Mesos parses it into, converted; on any error a 400 is written and null returned.</summary>
    private static async Task<ValueArray<T>?> ReadAsync<T>(HttpContext http, JsonValueKind kind, string what, Func<JsonElement, ValueArray<T>> convert)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted).ConfigureAwait(false);
        string? error;
        try
        {
            JsonFields.EnsureUtf8(body.GetBuffer().AsSpan(0, (int)body.Length));
            using var document = JsonDocument.Parse(body.GetBuffer().AsMemory(0, (int)body.Length), new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind == kind)
            {
                return convert(document.RootElement);
            }

            error = $"Failed to parse JSON: expecting {what}, got {document.RootElement.ValueKind.ToString().ToLowerInvariant()}";
        }
        catch (JsonException ex)
        {
            error = "Failed to parse JSON: " + ex.Message;
        }
        catch (HttpCallError ex)
        {
            error = ex.Message;
        }
        catch (JsonConversionException ex)
        {
            error = ex.Message;
        }

        await LegacyEndpoints.BadRequestAsync(http, error).ConfigureAwait(false);
        return null;
    }

    private static async Task SubmitAsync(HttpContext http, MasterCommand command)
    {
        var result = await http.RequestServices.GetRequiredService<IMediator>().Send(new Submit(command), http.RequestAborted).ConfigureAwait(false);
        if (result.Error is { } error)
        {
            await LegacyEndpoints.BadRequestAsync(http, error.Message).ConfigureAwait(false);
            return;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>libprocess' MethodNotAllowed: 405, <c>Allow</c>, and the methods expected.</summary>
    private static async Task MethodNotAllowedAsync(HttpContext http, params string[] allowed)
    {
        http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        http.Response.Headers.Allow = string.Join(", ", allowed);
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(
            $"Expecting one of {{ {string.Join(", ", allowed.Select(m => $"'{m}'"))} }}, but received '{http.Request.Method}'",
            http.RequestAborted).ConfigureAwait(false);
    }
}
