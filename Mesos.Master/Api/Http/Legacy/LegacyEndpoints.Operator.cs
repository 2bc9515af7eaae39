using System.Text;
using System.Text.Json;
using Mediator;
using Mesos.Core.Collections;
using Mesos.Core.Commands;
using Mesos.Core.Decisions;
using Mesos.Core.Ids;
using Mesos.Core.Quotas;
using Mesos.Core.Resources;
using Mesos.Master.Api.Grpc;
using Mesos.Master.Api.Http.Operator;
using Mesos.Master.Application;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static Mesos.Master.Api.Http.JsonFields;
using static Mesos.Master.Api.Http.SchedulerEventJson;

namespace Mesos.Master.Api.Http.Legacy;

/// <summary>
/// Mesos' legacy endpoints that change the cluster (<c>/master/teardown</c>, <c>/master/weights</c>, <c>/master/quota</c>,
/// <c>/master/reserve</c>, <c>/master/unreserve</c>), with Mesos 1.11's methods, bodies, status codes and messages. Each
/// goes through the same core command as its v1 operator call.
/// </summary>
public static partial class LegacyEndpoints
{
    private static void MapOperatorEndpoints(IEndpointRouteBuilder app, string prefix)
    {
        app.Map(prefix + "/teardown", Teardown);
        app.Map(prefix + "/weights", Weights);
        app.Map(prefix + "/quota", Quota);
        app.Map(prefix + "/quota/{**role}", RemoveQuota);
        app.Map(prefix + "/reserve", http => Reservation(http, reserve: true));
        app.Map(prefix + "/unreserve", http => Reservation(http, reserve: false));
    }

    /// <summary>POST <c>frameworkId=&lt;id&gt;</c>: the framework is torn down (200), as Mesos' <c>Master::Http::teardown</c>.</summary>
    private static async Task Teardown(HttpContext http)
    {
        if (await OnlyAsync(http, "POST").ConfigureAwait(false) is not { } body)
        {
            return;
        }

        if (await FormAsync(http, body).ConfigureAwait(false) is not { } form)
        {
            return;
        }

        if (!form.TryGetValue("frameworkId", out var id))
        {
            await BadRequestAsync(http, "Missing 'frameworkId' query parameter in the request body").ConfigureAwait(false);
            return;
        }

        var frameworkId = new FrameworkId(id);
        if (!Current(http).Frameworks.ContainsKey(frameworkId))
        {
            await BadRequestAsync(http, "No framework found with specified ID").ConfigureAwait(false);
            return;
        }

        await SubmitAsync(http, new TeardownFramework(frameworkId) { Principal = "operator" }, StatusCodes.Status200OK).ConfigureAwait(false);
    }

    /// <summary>GET: <c>[{"weight": 2.0, "role": "r"}]</c> for each role given a weight; PUT the same to set them (200).</summary>
    private static async Task Weights(HttpContext http)
    {
        if (HttpMethods.IsGet(http.Request.Method))
        {
            var state = Current(http);
            await WriteAsync(http, json =>
            {
                json.WriteStartArray();
                foreach (var (role, settings) in state.Roles.Where(r => r.Value.Weight != 1.0))
                {
                    json.WriteStartObject();
                    WriteDouble(json, "weight", settings.Weight);
                    json.WriteString("role", role);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }).ConfigureAwait(false);
            return;
        }

        if (await OnlyAsync(http, "GET", "PUT").ConfigureAwait(false) is not { } body)
        {
            return;
        }

        var text = Encoding.UTF8.GetString(body);
        List<RoleWeight> weights;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                await BadRequestAsync(http, $"Failed to parse update weights request JSON ('{text}'): Expecting a JSON array").ConfigureAwait(false);
                return;
            }

            try
            {
                weights = document.RootElement.EnumerateArray().Select(w => new RoleWeight(
                    String(w, "role", string.Empty) ?? throw new JsonConversionException("Missing required fields: role"),
                    Double(w, "weight", string.Empty) ?? throw new JsonConversionException("Missing required fields: weight"))).ToList();
            }
            catch (JsonConversionException ex)
            {
                await BadRequestAsync(http, $"Failed to convert weights JSON array to protobuf ('{text}'): {ex.Message}").ConfigureAwait(false);
                return;
            }
        }
        catch (JsonException ex)
        {
            await BadRequestAsync(http, $"Failed to parse update weights request JSON ('{text}'): {ex.Message}").ConfigureAwait(false);
            return;
        }

        await SubmitAsync(http, new UpdateWeights(ValueArray.From(weights)) { Principal = "operator" }, StatusCodes.Status200OK).ConfigureAwait(false);
    }

    /// <summary>
    /// Mesos' deprecated quota endpoint. GET: the QuotaStatus (<c>infos</c> with each role's guarantee, and <c>configs</c>).
    /// POST <c>{"role": "r", "guarantee": [Resource...], "force": false}</c>: as Mesos 1.11 maps the old SET_QUOTA onto
    /// UPDATE_QUOTA, the guarantee is the role's guarantee and its limit; a role that has quota must be removed first.
    /// </summary>
    private static async Task Quota(HttpContext http)
    {
        if (HttpMethods.IsGet(http.Request.Method))
        {
            var state = Current(http);
            await WriteAsync(http, json =>
            {
                json.WriteStartObject();
                var quotas = state.Roles.Where(r => !r.Value.Guarantees.IsEmpty || !r.Value.Limits.IsEmpty).ToList();
                if (quotas.Count > 0)
                {
                    json.WriteStartArray("infos");
                    foreach (var (role, settings) in quotas)
                    {
                        json.WriteStartObject();
                        json.WriteString("role", role);
                        V1Json.WriteResources(json, "guarantee", settings.Guarantees);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                }

                OperatorHttpEndpoints.WriteQuotaConfigs(json, state);
                json.WriteEndObject();
            }).ConfigureAwait(false);
            return;
        }

        if (HttpMethods.IsDelete(http.Request.Method))
        {
            await BadRequestAsync(http, $"Failed to parse request path '{http.Request.Path}': 2 tokens ('quota' and 'role') required, found 1 token(s)").ConfigureAwait(false);
            return;
        }

        if (await OnlyAsync(http, "GET", "POST", "DELETE").ConfigureAwait(false) is not { } body)
        {
            return;
        }

        var text = Encoding.UTF8.GetString(body);
        string role;
        ResourceSet guarantee;
        bool force;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                await BadRequestAsync(http, $"Failed to parse set quota request JSON '{text}': Expecting a JSON object").ConfigureAwait(false);
                return;
            }

            try
            {
                var root = document.RootElement;
                role = String(root, "role", string.Empty) ?? string.Empty;
                force = Bool(root, "force", string.Empty) ?? false;
                var wire = Array(root, "guarantee", string.Empty).Select(r => SchedulerCallJson.Resource(r, "guarantee")).ToList();
                guarantee = ProtoMapping.ToCore(wire, "guarantee");
            }
            catch (Exception ex) when (ex is JsonConversionException or WireFormatException or OverflowException or ArgumentException)
            {
                await BadRequestAsync(http, $"Failed to validate set quota request JSON '{text}': {ex.Message}").ConfigureAwait(false);
                return;
            }
        }
        catch (JsonException ex)
        {
            await BadRequestAsync(http, $"Failed to parse set quota request JSON '{text}': {ex.Message}").ConfigureAwait(false);
            return;
        }

        if (role.Length == 0)
        {
            await BadRequestAsync(http, "Failed to validate set quota request: Quota request without role").ConfigureAwait(false);
            return;
        }

        if (guarantee.Entries.Any(r => r.Kind != ResourceKind.Scalar || r.IsReserved))
        {
            await BadRequestAsync(http, "Failed to validate set quota request: Quota guarantee must hold unreserved scalar resources only").ConfigureAwait(false);
            return;
        }

        var current = Current(http).RoleOf(role);
        if (!current.Guarantees.IsEmpty || !current.Limits.IsEmpty)
        {
            await BadRequestAsync(http, "Failed to validate set quota request: Can not set quota for a role that already has quota").ConfigureAwait(false);
            return;
        }

        await SubmitAsync(http, new UpdateQuota(ValueArray.From([new RoleQuota(role, guarantee, guarantee)]), force) { Principal = "operator" }, StatusCodes.Status200OK).ConfigureAwait(false);
    }

    /// <summary>DELETE <c>/master/quota/&lt;role&gt;</c>: the role's quota is removed (200), as Mesos' <c>QuotaHandler::remove</c>.</summary>
    private static async Task RemoveQuota(HttpContext http)
    {
        if (await OnlyAsync(http, "DELETE").ConfigureAwait(false) is null)
        {
            return;
        }

        // Hierarchical roles hold '/', so everything after "quota/" is the role.
        var role = (string?)http.Request.RouteValues["role"] ?? string.Empty;
        if (role.Length == 0)
        {
            await BadRequestAsync(http, $"Failed to parse request path '{http.Request.Path}': 2 tokens ('quota' and 'role') required, found 1 token(s)").ConfigureAwait(false);
            return;
        }

        var settings = Current(http).RoleOf(role);
        if (settings.Guarantees.IsEmpty && settings.Limits.IsEmpty)
        {
            await BadRequestAsync(http, $"Failed to remove quota: Role '{role}' has no quota set").ConfigureAwait(false);
            return;
        }

        await SubmitAsync(http, new UpdateQuota(ValueArray.From([new RoleQuota(role, ResourceSet.Empty, ResourceSet.Empty)]), true) { Principal = "operator" }, StatusCodes.Status200OK).ConfigureAwait(false);
    }

    /// <summary>
    /// POST <c>slaveId=&lt;id&gt;&amp;resources=&lt;JSON array of Resource&gt;</c> (reserve also takes <c>source</c>): 202 once
    /// recorded, 400 for a bad request or an agent the master has not registered, 409 when the agent lacks the resources.
    /// </summary>
    private static async Task Reservation(HttpContext http, bool reserve)
    {
        if (await OnlyAsync(http, "POST").ConfigureAwait(false) is not { } body)
        {
            return;
        }

        if (await FormAsync(http, body).ConfigureAwait(false) is not { } form)
        {
            return;
        }

        if (!form.TryGetValue("slaveId", out var slaveId))
        {
            await BadRequestAsync(http, "Missing 'slaveId' query parameter in the request body").ConfigureAwait(false);
            return;
        }

        if (!form.TryGetValue("resources", out var resourcesText))
        {
            await BadRequestAsync(http, "Missing 'resources' query parameter in the request body").ConfigureAwait(false);
            return;
        }

        // Mesos words the two endpoints' parse errors differently.
        var parseError = reserve ? "Error parsing 'resources' query parameter in the request body: " : "Error in parsing 'resources' query parameter in the request body: ";
        ResourceSet resources;
        try
        {
            using var document = JsonDocument.Parse(resourcesText);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                await BadRequestAsync(http, parseError + "Expecting a JSON array").ConfigureAwait(false);
                return;
            }

            var wire = document.RootElement.EnumerateArray().Select(r => SchedulerCallJson.Resource(r, "resources")).ToList();
            resources = ProtoMapping.ToCore(wire, "resources");
        }
        catch (Exception ex) when (ex is JsonException or JsonConversionException or WireFormatException or OverflowException or ArgumentException)
        {
            await BadRequestAsync(http, parseError + ex.Message).ConfigureAwait(false);
            return;
        }

        var agentId = new AgentId(slaveId);
        if (!Current(http).Agents.TryGetValue(agentId, out var agent) || agent.Status is not (Core.Agents.AgentStatus.Active or Core.Agents.AgentStatus.Disconnected))
        {
            await BadRequestAsync(http, "No agent found with specified ID").ConfigureAwait(false);
            return;
        }

        MasterCommand command = reserve
            ? new ReserveResources(agentId, resources) { Principal = "operator" }
            : new UnreserveResources(agentId, resources) { Principal = "operator" };
        await SubmitAsync(http, command, StatusCodes.Status202Accepted).ConfigureAwait(false);
    }

    /// <summary>The body when the method is one of <paramref name="allowed"/>; else Mesos' 405 with <c>Allow</c>, and null.</summary>
    private static async Task<byte[]?> OnlyAsync(HttpContext http, params string[] allowed)
    {
        var method = http.Request.Method;
        if (!allowed.Any(m => string.Equals(m, method, StringComparison.OrdinalIgnoreCase)))
        {
            http.Response.Headers.Allow = string.Join(", ", allowed);
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            http.Response.ContentType = "text/plain; charset=utf-8";
            var expected = string.Join(", ", allowed.Select(m => $"'{m}'"));
            await http.Response.WriteAsync($"Expecting one of {{ {expected} }}, but received '{method}'", http.RequestAborted).ConfigureAwait(false);
            return null;
        }

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>
    /// The body as a query string (<c>a=1&amp;b=2</c>, percent-encoded, '+' for a space), as libprocess'
    /// <c>http::query::decode</c> reads it; a malformed escape is Mesos' 400 "Unable to decode query string".
    /// </summary>
    private static async Task<Dictionary<string, string>?> FormAsync(HttpContext http, byte[] body)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in Encoding.UTF8.GetString(body).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = token.IndexOf('=', StringComparison.Ordinal);
            var (key, value) = equals < 0 ? (token, string.Empty) : (token[..equals], token[(equals + 1)..]);
            if (Decode(key) is not { } decodedKey || Decode(value) is not { } decodedValue)
            {
                await BadRequestAsync(http, $"Unable to decode query string: Malformed % escape in '{token}'").ConfigureAwait(false);
                return null;
            }

            form[decodedKey] = decodedValue;
        }

        return form;
    }

    private static string? Decode(string text)
    {
        for (var i = text.IndexOf('%', StringComparison.Ordinal); i >= 0; i = text.IndexOf('%', i + 1))
        {
            if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
            {
                return null;
            }
        }

        return Uri.UnescapeDataString(text.Replace('+', ' '));
    }

    /// <summary>The command through the master loop: <paramref name="success"/> once recorded; 409 for a conflict, else 400 with the reason.</summary>
    private static async Task SubmitAsync(HttpContext http, MasterCommand command, int success)
    {
        var result = await http.RequestServices.GetRequiredService<IMediator>().Send(new Submit(command), http.RequestAborted).ConfigureAwait(false);
        if (result.Error is { } error)
        {
            http.Response.StatusCode = error.Kind == DecideErrorKind.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync(error.Message, http.RequestAborted).ConfigureAwait(false);
            return;
        }

        http.Response.StatusCode = success;
    }
}
