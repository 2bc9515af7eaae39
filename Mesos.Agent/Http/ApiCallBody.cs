using Mesos.Hosting.Http;
using Microsoft.AspNetCore.Http;

namespace Mesos.Agent.Http;

/// <summary>The body of a call to one of the agent's v1 APIs (executor, operator), once it has passed Mesos' checks.</summary>
internal static class ApiCallBody
{
    /// <summary>Calls are small; a bigger body is refused rather than buffered.</summary>
    private const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>The body and its encoding; a refused request is an <see cref="ApiCallError"/> with Mesos' status and text.</summary>
    public static async Task<(byte[] Bytes, string ContentType)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (ApiMediaTypes.CheckRequest(request, out var contentType) is { } refused)
        {
            throw new ApiCallError(refused.StatusCode, refused.Message);
        }

        var (body, tooLarge) = await ApiMediaTypes.ReadBodyAsync(request, MaxBodyBytes, ct).ConfigureAwait(false);
        return tooLarge is { } refusal ? throw new ApiCallError(refusal.StatusCode, refusal.Message) : (body, contentType);
    }
}
