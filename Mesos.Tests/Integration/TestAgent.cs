using Mesos.Agent;
using Mesos.Agent.Configuration;
using Mesos.Core.Resources;

namespace Mesos.Tests.Integration;

/// <summary>A real agent for tests on 127.0.0.1: an ephemeral port and short backoffs, so tests wait seconds, not minutes.</summary>
public static class TestAgent
{
    public const string DefaultResources = "cpus:4;mem:2048;disk:1000;ports:[31000-32000]";

    public static AgentOptions Options(IEnumerable<string> masters, string workDir, string resources = DefaultResources) => new()
    {
        Masters = [.. masters],
        WorkDir = workDir,
        Resources = ResourceSet.Parse(resources),
        Port = 0,
        Ip = "127.0.0.1",
        Hostname = "127.0.0.1",
        RegistrationBackoffFactor = TimeSpan.FromMilliseconds(100),
        RegistrationBackoffMax = TimeSpan.FromSeconds(1),
        StatusUpdateRetryInterval = TimeSpan.FromSeconds(1),
    };

    public static Task<AgentRuntime> StartAsync(int masterPort, string? workDir = null, string resources = DefaultResources) =>
        AgentRuntime.StartAsync(Options([$"127.0.0.1:{masterPort}"], workDir ?? TempDirectory.Create("agent"), resources));
}
