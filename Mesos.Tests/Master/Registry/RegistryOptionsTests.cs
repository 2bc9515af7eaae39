using System.Collections;
using Mesos.EventLog.Marten;
using Mesos.Hosting.Flags;
using Mesos.Master.Configuration;
using Mesos.Master.Registry;
using Npgsql;

namespace Mesos.Tests.Master.Registry;

public sealed class RegistryOptionsTests
{
    private static MasterOptions Parse(string[] args, IDictionary? environment = null) =>
        MasterOptions.FromFlags(FlagParser.Parse(MasterFlags.All, args, environment ?? new Hashtable()));

    [Theory]
    [InlineData(new[] { "--registry=postgres" }, "Flag '--registry=postgres' needs --registry_url")]
    [InlineData(new[] { "--registry_url=Host=db" }, "Flag '--registry_url' needs --registry=postgres")]
    [InlineData(new[] { "--registry=in_memory" }, "Flag '--registry': 'in_memory' is not supported: the log must be durable")]
    [InlineData(new[] { "--registry=postgres", "--registry_url=Database=mesos" }, "Flag '--registry_url': names no host")]
    [InlineData(new[] { "--registry=postgres", "--registry_url=Hots=db" }, "Flag '--registry_url': is not a PostgreSQL connection string")]
    [InlineData(new[] { "--registry=postgres", "--registry_url=postgres://" }, "Flag '--registry_url': is not a valid postgres:// URL")]
    [InlineData(new[] { "--registry=postgres", "--registry_url=postgres://db/mesos?colour=blue" }, "Flag '--registry_url': has an unknown or invalid parameter 'colour'")]
    [InlineData(new[] { "--registry=postgres", "--registry_url=file:///nonexistent/registry-url" }, "Flag '--registry_url': cannot read '/nonexistent/registry-url'")]
    public void BadRegistryFlags_AreRefusedNamingTheFlag(string[] args, string message)
    {
        var error = Assert.Throws<FlagError>(() => Parse(["--work_dir=/tmp/x", .. args]));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sqlite")]
    [InlineData("replicated_log")]
    public void SqliteAndMesosReplicatedLog_AreTheEmbeddedFileUnderTheWorkDir(string? registry)
    {
        var options = Parse(registry is null ? ["--work_dir=/tmp/w"] : ["--work_dir=/tmp/w", $"--registry={registry}"]);

        Assert.Equal(RegistryKind.Sqlite, options.Registry.Kind);
        Assert.Equal("/tmp/w/registry.db", options.Registry.SqlitePath);
    }

    [Fact]
    public void RegistryUrl_FromTheEnvironment_IsAPostgresRegistry()
    {
        var options = Parse(["--work_dir=/tmp/w", "--registry=postgres"], new Hashtable { ["MESOS_REGISTRY_URL"] = "Host=db1,db2;Database=mesos;Username=mesos;Target Session Attributes=primary" });

        var builder = new NpgsqlConnectionStringBuilder(options.Registry.ConnectionString);
        Assert.Equal(RegistryKind.Postgres, options.Registry.Kind);
        Assert.Equal("db1,db2", builder.Host);
        Assert.Equal("mesos", builder.Database);
        Assert.Equal("postgres://db1,db2:5432/mesos", options.Registry.Describe());
    }

    [Fact]
    public void PostgresUrl_BecomesAConnectionString()
    {
        var builder = new NpgsqlConnectionStringBuilder(RegistryUrl.ToConnectionString("postgres://mesos:s%40cret@db.example:6543/registry?sslmode=require"));

        Assert.Equal("db.example", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("mesos", builder.Username);
        Assert.Equal("s@cret", builder.Password);
        Assert.Equal("registry", builder.Database);
        Assert.Equal(SslMode.Require, builder.SslMode);
    }

    [Fact]
    public void FileUrl_ReadsTheConnectionStringFromTheFile_AndDescribeNeverShowsThePassword()
    {
        var path = Path.Combine(Integration.TempDirectory.Create("registry-url"), "url");
        File.WriteAllText(path, "postgres://mesos:hunter2@db:5432/mesos\n");

        var options = Parse(["--work_dir=/tmp/w", "--registry=postgres", $"--registry_url=file://{path}"]);

        Assert.Equal("hunter2", new NpgsqlConnectionStringBuilder(options.Registry.ConnectionString).Password);
        Assert.DoesNotContain("hunter2", options.Registry.Describe(), StringComparison.Ordinal);
    }
}
