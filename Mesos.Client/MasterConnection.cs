using System.Collections.Concurrent;
using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;

namespace Mesos.Client;

/// <summary>
/// gRPC-Web channels to one master or a list of masters (<c>h1:5050,h2:5050</c>). Calls go to the master that
/// answered last and move on to the next one when a master cannot be reached.
/// </summary>
public sealed class MasterConnection : IDisposable
{
    private readonly ConcurrentDictionary<MasterEndpoint, GrpcChannel> channels = new();
    private readonly MasterConnectionOptions options;
    private int preferred;

    /// <exception cref="FormatException">The address is not <c>host:port</c> or a comma-separated list of them.</exception>
    public MasterConnection(string masters, MasterConnectionOptions? options = null)
    {
        Endpoints = MasterEndpoint.ParseList(masters);
        Address = string.Join(",", Endpoints);
        this.options = options ?? new MasterConnectionOptions();
    }

    public IReadOnlyList<MasterEndpoint> Endpoints { get; }

    /// <summary>The normalized address list, as used in messages.</summary>
    public string Address { get; }

    /// <summary>The master that answered last (or the first of the list).</summary>
    public MasterEndpoint Preferred => Endpoints[Volatile.Read(ref preferred)];

    public GrpcChannel GetChannel(MasterEndpoint endpoint) =>
        channels.GetOrAdd(endpoint, e => CreateChannel(e, options));

    /// <summary>
    /// A gRPC-Web (binary) channel over HTTP/1.1: the master serves gRPC-Web on its HTTP port, because cleartext
    /// HTTP/2 cannot share a port with HTTP/1.1 in Kestrel.
    /// </summary>
    public static GrpcChannel CreateChannel(MasterEndpoint endpoint, MasterConnectionOptions? options = null)
    {
        options ??= new MasterConnectionOptions();
        var sockets = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            // The scheduler event stream holds one connection for as long as the framework runs.
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        };
        var handler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, sockets);
        return GrpcChannel.ForAddress(endpoint.BaseUri, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = options.MaxReceiveMessageSize,
            HttpVersion = HttpVersion.Version11,
            HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });
    }

    /// <summary>
    /// Runs a unary call against the preferred master, then each other master in turn while they are unreachable.
    /// Errors the master itself returned are not retried elsewhere: another master would say the same.
    /// </summary>
    /// <exception cref="MasterUnreachableException">No master could be reached.</exception>
    public async Task<T> InvokeAsync<T>(Func<GrpcChannel, CancellationToken, Task<T>> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var start = Volatile.Read(ref preferred);
        string? lastReason = null;
        for (var i = 0; i < Endpoints.Count; i++)
        {
            var index = (start + i) % Endpoints.Count;
            try
            {
                var result = await call(GetChannel(Endpoints[index]), cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref preferred, index);
                return result;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && !cancellationToken.IsCancellationRequested)
            {
                lastReason = RpcErrors.Describe(e);
            }
        }

        throw new MasterUnreachableException(Address, lastReason ?? "no master given");
    }

    internal void Prefer(MasterEndpoint endpoint)
    {
        for (var i = 0; i < Endpoints.Count; i++)
        {
            if (Endpoints[i] == endpoint)
            {
                Volatile.Write(ref preferred, i);
                return;
            }
        }
    }

    public void Dispose()
    {
        foreach (var channel in channels.Values)
        {
            channel.Dispose();
        }

        channels.Clear();
    }
}
