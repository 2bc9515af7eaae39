using System.Text.Json;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using Mesos.Agent;
using Mesos.Agent.Configuration;
using Mesos.Core.Resources;
using Mesos.Protocol.V1;

namespace Mesos.Tests.Agent;

/// <summary><c>/monitor/statistics</c> and the agent's gRPC GetContainers for a running task, with and without cgroups.</summary>
public sealed class MonitorStatisticsTests : IAsyncLifetime
{
    private readonly TempDirectory _workDir = new();
    private FakeMaster _master = null!;

    public async Task InitializeAsync() => _master = await FakeMaster.StartAsync();

    public async Task DisposeAsync()
    {
        await _master.DisposeAsync();
        _workDir.Dispose();
    }

    [Theory]
    [InlineData("posix/cpu,posix/mem")]
    [InlineData(null)]
    public async Task RunningTask_HasItsUsageAndLimits_InJsonAndGrpc(string? isolation)
    {
        await using var agent = await AgentRuntime.StartAsync(new AgentOptions
        {
            Masters = [_master.Address],
            WorkDir = _workDir.Path,
            Resources = ResourceSet.Parse("cpus:2;mem:256"),
            Port = 0,
            Ip = "127.0.0.1",
            Isolation = isolation,
            DefaultKillGracePeriod = TimeSpan.FromSeconds(1),
        });
        await agent.WaitForRegistrationAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var task = new TaskInfo { TaskId = "busy", Name = "busy", Command = new CommandInfo { Value = "dd if=/dev/zero of=/dev/null bs=4M & sleep 1000" } };
        task.Resources.Add(new Mesos.Protocol.V1.Resource { Name = "cpus", Type = Value.Types.Type.Scalar, Scalar = new Value.Types.Scalar { Value = 0.25 } });
        task.Resources.Add(new Mesos.Protocol.V1.Resource { Name = "mem", Type = Value.Types.Type.Scalar, Scalar = new Value.Types.Scalar { Value = 48 } });
        _master.Service.Send(new MasterToAgent
        {
            RunTask = new MasterToAgent.Types.RunTask { FrameworkInfo = new FrameworkInfo { Id = "fw-1", Name = "f", User = "root" }, Task = task, ExecutorId = "busy" },
        });

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{agent.HttpPort}") };
        var waited = System.Diagnostics.Stopwatch.StartNew();
        JsonElement entry;
        while (true)
        {
            var array = JsonDocument.Parse(await http.GetStringAsync("/monitor/statistics")).RootElement.Clone();
            if (array.GetArrayLength() == 1 && array[0].GetProperty("statistics").GetProperty("cpus_user_time_secs").GetDouble()
                + array[0].GetProperty("statistics").GetProperty("cpus_system_time_secs").GetDouble() > 0)
            {
                entry = array[0];
                break;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "no usage was reported: " + array);
            await Task.Delay(100);
        }

        Assert.Equal("busy", entry.GetProperty("executor_id").GetString());
        Assert.Equal("fw-1", entry.GetProperty("framework_id").GetString());
        Assert.Equal("busy", entry.GetProperty("source").GetString());
        Assert.StartsWith("Command Executor (Task: busy)", entry.GetProperty("executor_name").GetString(), StringComparison.Ordinal);
        var statistics = entry.GetProperty("statistics");
        Assert.Equal(0.25, statistics.GetProperty("cpus_limit").GetDouble());
        Assert.Equal(48L * 1024 * 1024, statistics.GetProperty("mem_limit_bytes").GetInt64());
        Assert.True(statistics.GetProperty("mem_rss_bytes").GetInt64() > 0);
        Assert.True(statistics.GetProperty("timestamp").GetDouble() > 1.7e9);

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{agent.HttpPort}",
            new GrpcChannelOptions { HttpHandler = new GrpcWebHandler(new HttpClientHandler()), HttpVersion = System.Net.HttpVersion.Version11, HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact });
        var reply = await new AgentMonitor.AgentMonitorClient(channel).GetContainersAsync(new GetContainersRequest());
        var container = Assert.Single(reply.Containers);
        Assert.Equal("busy", container.ExecutorId);
        Assert.Equal(0.25, container.ResourceStatistics.CpusLimit);
        Assert.Equal(48UL * 1024 * 1024, container.ResourceStatistics.MemLimitBytes);
        Assert.True(container.ResourceStatistics.Processes >= 2);
    }
}
