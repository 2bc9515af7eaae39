using Mesos.Client;

namespace Mesos.Tests.Client;

public sealed class MasterEndpointTests
{
    [Theory]
    [InlineData("127.0.0.1:5050", "127.0.0.1", 5050, "http://127.0.0.1:5050/")]
    [InlineData(" master-1.example.com:5050 ", "master-1.example.com", 5050, "http://master-1.example.com:5050/")]
    [InlineData("[::1]:5051", "::1", 5051, "http://[::1]:5051/")]
    public void TryParse_HostPort_GivesHostPortAndUri(string text, string host, int port, string uri)
    {
        Assert.True(MasterEndpoint.TryParse(text, out var endpoint, out var error), error);
        Assert.Equal(new MasterEndpoint(host, port), endpoint);
        Assert.Equal(uri, endpoint!.BaseUri.ToString());
    }

    [Theory]
    [InlineData("localhost", "is not host:port")]
    [InlineData("localhost:", "no valid port")]
    [InlineData(":5050", "no valid host")]
    [InlineData("localhost:0", "no valid port")]
    [InlineData("localhost:70000", "no valid port")]
    [InlineData("localhost:50a", "no valid port")]
    [InlineData("http://localhost:5050", "leave out the scheme")]
    [InlineData("[::1]5050", "IPv6")]
    public void TryParse_Malformed_ExplainsWhatIsExpected(string text, string expected)
    {
        Assert.False(MasterEndpoint.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains(text, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseList_CommaSeparated_KeepsOrder()
    {
        var endpoints = MasterEndpoint.ParseList("h1:5050, h2:5051");
        Assert.Equal([new MasterEndpoint("h1", 5050), new MasterEndpoint("h2", 5051)], endpoints);
    }

    [Theory]
    [InlineData("", "No master address")]
    [InlineData("zk://h1:2181/mesos", "ZooKeeper")]
    [InlineData("h1:5050,nope", "Invalid master address: 'nope'")]
    public void ParseList_Invalid_ThrowsFormatExceptionWithOneLine(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => MasterEndpoint.ParseList(text));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
