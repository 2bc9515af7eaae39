using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mesos.Master;
using Mesos.Tests.Integration;
using Microsoft.Extensions.Logging;
using WireMaster = Mesos.Protocol.Wire.Master;

namespace Mesos.Tests.Api.Http;

/// <summary>
/// The master's own files: with <c>--log_dir</c> it writes <c>mesos-master.INFO</c> and serves it as <c>/master/log</c>
/// through <c>/files/*</c> and the operator API's LIST_FILES / READ_FILE, with Mesos' statuses for what it does not serve.
/// </summary>
public sealed class MasterFilesHttpTests : IAsyncLifetime
{
    private readonly string _logDir = TempDirectory.Create("master-logs");
    private readonly CancellationTokenSource _cts = new(TimeSpan.FromSeconds(60));
    private MasterServer _master = null!;
    private OperatorHttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var options = TestMaster.Options(TempDirectory.Create("master")) with { LogDir = _logDir, Flags = [("log_dir", _logDir)] };
        _master = await MasterServer.StartAsync(options, CancellationToken.None, logging => logging.SetMinimumLevel(LogLevel.Information));
        _client = new OperatorHttpClient(_master.Port);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _master.DisposeAsync();
        _cts.Dispose();
    }

    [Fact]
    public async Task LogDir_TheMasterLogIsWrittenThere_AndServedAsMasterLog()
    {
        var ct = _cts.Token;
        var onDisk = await File.ReadAllTextAsync(Path.Combine(_logDir, "mesos-master.INFO"), ct);
        Assert.Contains("] Replayed 0 events", onDisk, StringComparison.Ordinal);

        var debug = JsonNode.Parse(await _client.Http.GetStringAsync("/files/debug", ct))!.AsObject();
        Assert.Equal(Path.Combine(_logDir, "mesos-master.INFO"), (string?)debug["/master/log"]);

        var browse = JsonNode.Parse(await _client.Http.GetStringAsync("/files/browse?path=/master/log", ct))!.AsArray();
        var entry = Assert.Single(browse)!.AsObject();
        Assert.Equal("/master/log", (string?)entry["path"]);
        Assert.StartsWith("-rw", (string?)entry["mode"], StringComparison.Ordinal);
        Assert.True((long)entry["size"]! >= onDisk.Length);

        var size = JsonNode.Parse(await _client.Http.GetStringAsync("/files/read?path=/master/log&offset=-1", ct))!.AsObject();
        Assert.Equal(string.Empty, (string?)size["data"]);
        Assert.True((long)size["offset"]! >= onDisk.Length);

        var read = JsonNode.Parse(await _client.Http.GetStringAsync("/files/read?path=/master/log&offset=0&length=4096", ct))!.AsObject();
        Assert.Equal(0, (long)read["offset"]!);
        Assert.StartsWith(onDisk[..Math.Min(onDisk.Length, 64)], (string?)read["data"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAndReadFile_OverTheOperatorApi_InJsonAndProtobuf()
    {
        var ct = _cts.Token;
        var (status, body) = await _client.CallAsync(JsonNode.Parse("""{"type":"LIST_FILES","list_files":{"path":"/master/log"}}""")!.AsObject(), ct);
        Assert.True(status == 200, body);
        var info = Assert.Single(JsonNode.Parse(body)!["list_files"]!["file_infos"]!.AsArray())!;
        Assert.Equal("/master/log", (string?)info["path"]);
        Assert.Equal(JsonValueKind.Number, JsonDocument.Parse(info["size"]!.ToJsonString()).RootElement.ValueKind);
        Assert.Equal(0x8000u, (uint)info["mode"]! & 0xF000u);
        Assert.True((long)info["mtime"]!["nanoseconds"]! > 1_700_000_000L * 1_000_000_000L);

        (status, body) = await _client.CallAsync(JsonNode.Parse("""{"type":"READ_FILE","read_file":{"path":"/master/log","offset":0,"length":20}}""")!.AsObject(), ct);
        Assert.True(status == 200, body);
        var data = Encoding.UTF8.GetString(Convert.FromBase64String((string)JsonNode.Parse(body)!["read_file"]!["data"]!));
        Assert.Equal(20, data.Length);
        Assert.StartsWith("I", data, StringComparison.Ordinal);

        var call = new WireMaster.Call
        {
            Type = WireMaster.Call.Types.Type.ReadFile,
            ReadFile = new WireMaster.Call.Types.ReadFile { Path = "/master/log", Offset = 1, Length = 5 },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1") { Content = new ByteArrayContent(Google.Protobuf.MessageExtensions.ToByteArray(call)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-protobuf"));
        using var response = await _client.Http.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = WireMaster.Response.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync(ct));
        Assert.Equal(WireMaster.Response.Types.Type.ReadFile, answer.Type);
        Assert.Equal(data[1..6], answer.ReadFile.Data.ToStringUtf8());
        Assert.True(answer.ReadFile.Size >= 20);
    }

    [Theory]
    [InlineData("""{"type":"LIST_FILES","list_files":{"path":"/master/nothing"}}""", 404, "")]
    [InlineData("""{"type":"READ_FILE","read_file":{"path":"/etc/passwd","offset":0}}""", 404, "")]
    [InlineData("""{"type":"READ_FILE","read_file":{"path":"/master/log/below","offset":0}}""", 404, "")]
    [InlineData("""{"type":"LIST_FILES"}""", 400, "Expecting 'list_files' to be present")]
    [InlineData("""{"type":"READ_FILE","read_file":{"path":"/master/log"}}""", 400, "Missing required fields: read_file.offset")]
    [InlineData("""{"type":"READ_FILE","read_file":{"path":"/master/log","offset":-3}}""", 400, "read_file.offset")]
    public async Task FilesTheMasterDoesNotServe_OrMalformedCalls_GetMesosStatuses(string call, int expected, string message)
    {
        var (status, body) = await _client.CallAsync(JsonNode.Parse(call)!.AsObject(), _cts.Token);

        Assert.True(status == expected, $"{status} {body}");
        Assert.Contains(message, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/files/read?path=/master/log&offset=abc", 400, "Failed to parse offset")]
    [InlineData("/files/read?path=/master/log&offset=-2", 400, "Negative offset provided: -2.")]
    [InlineData("/files/read?path=/master/log&offset=0&length=-5", 400, "Negative length provided: -5.")]
    [InlineData("/files/read?offset=0", 400, "Expecting 'path=value' in query.")]
    [InlineData("/files/browse?path=/etc", 404, "")]
    [InlineData("/files/download?path=/master/log/x", 404, "")]
    public async Task BadFilesRequests_GetMesosStatusesAndMessages(string uri, int expected, string message)
    {
        using var response = await _client.Http.GetAsync(uri, _cts.Token);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True((int)response.StatusCode == expected, $"{(int)response.StatusCode} {body}");
        Assert.Contains(message, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jsonp_WrapsTheAnswer_AndStateNamesTheLogDir()
    {
        var ct = _cts.Token;
        var wrapped = await _client.Http.GetStringAsync("/files/debug?jsonp=show", ct);
        Assert.StartsWith("show({", wrapped, StringComparison.Ordinal);
        Assert.EndsWith(");", wrapped, StringComparison.Ordinal);

        using var download = await _client.Http.GetAsync("/files/download?path=/master/log", ct);
        Assert.True(download.StatusCode == HttpStatusCode.OK, await download.Content.ReadAsStringAsync(ct));
        Assert.Equal("mesos-master.INFO", download.Content.Headers.ContentDisposition?.FileName);
        Assert.Contains("] Replayed 0 events", await download.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);

        var state = JsonNode.Parse(await _client.Http.GetStringAsync("/master/state", ct))!;
        Assert.Equal(_logDir, (string?)state["log_dir"]);
    }
}
