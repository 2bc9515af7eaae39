using System.Net;
using System.Text.Json;
using Mesos.Agent;
using Mesos.Agent.Configuration;
using Mesos.Core.Resources;

namespace Mesos.Tests.Agent;

public sealed class AgentFilesEndpointTests : IAsyncLifetime
{
    private readonly TempDirectory _workDir = new();
    private readonly HttpClient _http = new();
    private AgentRuntime? _agent;
    private string _sandbox = string.Empty;

    public async Task InitializeAsync()
    {
        _agent = await AgentRuntime.StartAsync(new AgentOptions
        {
            // Nothing listens there: the agent keeps trying to attach while its endpoints serve.
            Masters = ["127.0.0.1:1"],
            WorkDir = _workDir.Path,
            Resources = ResourceSet.Parse("cpus:1;mem:128"),
            Port = 0,
            Ip = "127.0.0.1",
        });
        _http.BaseAddress = new Uri($"http://127.0.0.1:{_agent.HttpPort}");
        _sandbox = Path.Combine(_workDir.Path, "slaves", "S0", "frameworks", "F0", "executors", "E0", "runs", "C0");
        Directory.CreateDirectory(_sandbox);
        await File.WriteAllTextAsync(Path.Combine(_sandbox, "stdout"), "hello world\n");
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.StopAsync();
        }

        _http.Dispose();
        _workDir.Dispose();
    }

    [Fact]
    public async Task Health_Answers200()
    {
        using var response = await _http.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Read_FileInASandbox_ReturnsDataFromTheOffset()
    {
        var path = Uri.EscapeDataString(Path.Combine(_sandbox, "stdout"));

        var json = await GetJsonAsync($"/files/read?path={path}&offset=6&length=5");

        Assert.Equal(6, json.GetProperty("offset").GetInt64());
        Assert.Equal("world", json.GetProperty("data").GetString());
    }

    [Fact]
    public async Task Read_OffsetMinusOne_ReturnsTheSizeWithoutData()
    {
        var json = await GetJsonAsync($"/files/read?path={Uri.EscapeDataString(Path.Combine(_sandbox, "stdout"))}&offset=-1");

        Assert.Equal(12, json.GetProperty("offset").GetInt64());
        Assert.Equal(string.Empty, json.GetProperty("data").GetString());
    }

    [Fact]
    public async Task Read_RelativeToTheWorkDir_IsServed()
    {
        var json = await GetJsonAsync("/files/read?path=slaves/S0/frameworks/F0/executors/E0/runs/C0/stdout&offset=0");

        Assert.Equal("hello world\n", json.GetProperty("data").GetString());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-2")]
    public async Task Read_BadOffset_Is400(string offset)
    {
        using var response = await _http.GetAsync($"/files/read?path={Uri.EscapeDataString(Path.Combine(_sandbox, "stdout"))}&offset={offset}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Read_MissingFile_Is404()
    {
        using var response = await _http.GetAsync($"/files/read?path={Uri.EscapeDataString(Path.Combine(_sandbox, "nope"))}&offset=0");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/files/read?offset=0&path=")]
    [InlineData("/files/browse?path=")]
    public async Task ParentDirectoryEscape_IsRefused(string endpoint)
    {
        await File.WriteAllTextAsync(Path.Combine(_workDir.Path, "secret"), "do not serve");

        using var escape = await _http.GetAsync(endpoint + Uri.EscapeDataString("../../etc/passwd"));
        using var fromSandbox = await _http.GetAsync(endpoint + Uri.EscapeDataString(_sandbox + "/../../../../../../../secret"));

        Assert.Equal(HttpStatusCode.Forbidden, escape.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, fromSandbox.StatusCode);
        Assert.DoesNotContain("root:", await escape.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/files/read?offset=0&path=/etc/passwd")]
    [InlineData("/files/browse?path=/etc")]
    public async Task AbsolutePathOutsideTheWorkDir_IsRefused(string endpoint)
    {
        using var response = await _http.GetAsync(endpoint);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("root:", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SymlinkOutOfTheSandbox_IsRefused()
    {
        var link = Path.Combine(_sandbox, "etc");
        File.CreateSymbolicLink(link, "/etc");

        using var browse = await _http.GetAsync("/files/browse?path=" + Uri.EscapeDataString(link));
        using var read = await _http.GetAsync("/files/read?offset=0&path=" + Uri.EscapeDataString(link + "/passwd"));

        Assert.Equal(HttpStatusCode.Forbidden, browse.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.DoesNotContain("root:", await read.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Browse_Sandbox_ListsItsFilesWithTheirPaths()
    {
        var json = await GetJsonAsync("/files/browse?path=" + Uri.EscapeDataString(_sandbox));

        var entry = Assert.Single(json.EnumerateArray());
        Assert.Equal(Path.Combine(_sandbox, "stdout"), entry.GetProperty("path").GetString());
        Assert.Equal(12, entry.GetProperty("size").GetInt64());
        Assert.StartsWith("-rw", entry.GetProperty("mode").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/state")]
    [InlineData("/slave(1)/state")]
    public async Task State_DescribesTheAgentInMesosShape(string endpoint)
    {
        var json = await GetJsonAsync(endpoint);

        Assert.Equal(_agent!.HttpPort, json.GetProperty("port").GetInt32());
        Assert.Equal(1, json.GetProperty("resources").GetProperty("cpus").GetDouble());
        Assert.Equal(128, json.GetProperty("resources").GetProperty("mem").GetDouble());
        Assert.Equal(JsonValueKind.Array, json.GetProperty("frameworks").ValueKind);
        Assert.Equal(JsonValueKind.Array, json.GetProperty("completed_frameworks").ValueKind);
    }

    [Fact]
    public async Task Flags_ListsTheOptions()
    {
        var json = await GetJsonAsync("/flags");

        Assert.Equal(_workDir.Path, json.GetProperty("flags").GetProperty("work_dir").GetString());
    }

    private async Task<JsonElement> GetJsonAsync(string uri)
    {
        using var response = await _http.GetAsync(uri);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{uri}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
