using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using Mesos.Master;
using Mesos.Master.Configuration;
using Microsoft.Extensions.Logging;

namespace Mesos.Tests.Integration;

/// <summary>A real master on 127.0.0.1 with a free port and its own work_dir, and gRPC-Web channels to it.</summary>
public sealed class TestMaster : IAsyncDisposable
{
    private TestMaster(MasterServer server, string workDir)
    {
        Server = server;
        WorkDir = workDir;
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.Port}", new GrpcChannelOptions
        {
            HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, new SocketsHttpHandler()),
            HttpVersion = System.Net.HttpVersion.Version11,
            HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });
    }

    public MasterServer Server { get; }

    public string WorkDir { get; }

    public GrpcChannel Channel { get; }

    public int Port => Server.Port;

    public static MasterOptions Options(string workDir) => new(
        WorkDir: workDir,
        Port: 0,
        Ip: "127.0.0.1",
        Hostname: "127.0.0.1",
        OfferTimeout: null,
        AgentPingTimeout: TimeSpan.FromSeconds(15),
        MaxAgentPingTimeouts: 5,
        AllocationInterval: TimeSpan.FromMilliseconds(100),
        FrameworkHeartbeatInterval: TimeSpan.FromSeconds(15),
        Cluster: "test",
        Flags: []);

    public static async Task<TestMaster> StartAsync(string? workDir = null, Func<MasterOptions, MasterOptions>? configure = null)
    {
        workDir ??= TempDirectory.Create("master");
        var options = Options(workDir);
        if (configure is not null)
        {
            options = configure(options);
        }

        var server = await MasterServer.StartAsync(options, CancellationToken.None, logging => logging.SetMinimumLevel(LogLevel.Warning));
        return new TestMaster(server, workDir);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await Server.DisposeAsync();
    }
}
