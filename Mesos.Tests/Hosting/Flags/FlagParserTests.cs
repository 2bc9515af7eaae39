using System.Collections;
using Mesos.Hosting.Flags;

namespace Mesos.Tests.Hosting.Flags;

public sealed class FlagParserTests
{
    private static readonly FlagDefinition[] Definitions =
    [
        FlagDefinition.Int("port", 5050, "Port to listen on"),
        FlagDefinition.String("work_dir", null, "Where to keep the registry and sandboxes"),
        FlagDefinition.String("ip", null, "IP address to listen on"),
        FlagDefinition.Bool("switch_user", true, "Run tasks as their user"),
        FlagDefinition.Bool("hostname_lookup", true, "Look up the hostname"),
        FlagDefinition.Duration("agent_ping_timeout", "15secs", "How long before an agent misses a ping"),
        FlagDefinition.Duration("offer_timeout", null, "How long an offer stays open"),
        FlagDefinition.Double("gc_disk_headroom", 0.1, "Disk headroom to keep"),
        FlagDefinition.String("registry", "replicated_log", "replicated_log or in_memory"),
    ];

    [Fact]
    public void Parse_NothingGiven_GivesTheDefaults()
    {
        var flags = Parse([]);

        Assert.Equal(5050, flags.Int("port"));
        Assert.True(flags.Bool("switch_user"));
        Assert.Equal(TimeSpan.FromSeconds(15), flags.Duration("agent_ping_timeout"));
        Assert.Equal(0.1, flags.Double("gc_disk_headroom"));
        Assert.Equal("replicated_log", flags.String("registry"));
        Assert.False(flags.IsSet("work_dir"));
        Assert.Null(flags.String("work_dir"));
        Assert.Null(flags.OptionalDuration("offer_timeout"));
        Assert.Equal("its default", flags.All.Single(f => f.Name == "port").Source);
    }

    [Theory]
    [InlineData("--port=5051")]
    [InlineData("--port", "5051")]
    [InlineData("--port= 5051 ")]
    public void Parse_AValueAfterEqualsOrAsTheNextArgument_IsTaken(params string[] args) =>
        Assert.Equal(5051, Parse(args).Int("port"));

    [Theory]
    [InlineData(false, "--no-switch_user")]
    [InlineData(false, "--switch_user=false")]
    [InlineData(false, "--switch_user=0")]
    [InlineData(true, "--switch_user")]
    [InlineData(true, "--switch_user=true")]
    [InlineData(true, "--switch_user=1")]
    public void Parse_Booleans_TakeEveryMesosSpelling(bool expected, string arg) =>
        Assert.Equal(expected, Parse([arg]).Bool("switch_user"));

    [Fact]
    public void Parse_ABooleanFollowedByAnArgument_DoesNotTakeIt()
    {
        var error = Assert.Throws<FlagError>(() => Parse(["--switch_user", "false"]));
        Assert.Contains("'false'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MESOS_WORK_DIR")]
    [InlineData("MESOS_work_dir")]
    [InlineData("MESOS_Work_Dir")]
    public void Parse_EnvironmentVariable_SetsTheFlagWhateverTheCaseAfterThePrefix(string variable)
    {
        var flags = Parse([], (variable, "/var/lib/mesos"));

        Assert.Equal("/var/lib/mesos", flags.String("work_dir"));
        Assert.Equal($"environment variable {variable}", flags.All.Single(f => f.Name == "work_dir").Source);
    }

    [Fact]
    public void Parse_EnvironmentVariable_OfEveryKind()
    {
        var flags = Parse(
            [],
            ("MESOS_PORT", "6060"),
            ("MESOS_SWITCH_USER", "false"),
            ("MESOS_AGENT_PING_TIMEOUT", "1mins"),
            ("MESOS_GC_DISK_HEADROOM", "0.25"));

        Assert.Equal(6060, flags.Int("port"));
        Assert.False(flags.Bool("switch_user"));
        Assert.Equal(TimeSpan.FromMinutes(1), flags.Duration("agent_ping_timeout"));
        Assert.Equal(0.25, flags.Double("gc_disk_headroom"));
    }

    [Fact]
    public void Parse_TheCommandLine_WinsOverTheEnvironment()
    {
        var flags = Parse(["--work_dir=/cli", "--no-switch_user"], ("MESOS_WORK_DIR", "/env"), ("MESOS_SWITCH_USER", "true"));

        Assert.Equal("/cli", flags.String("work_dir"));
        Assert.False(flags.Bool("switch_user"));
        Assert.Equal("the command line", flags.All.Single(f => f.Name == "work_dir").Source);
    }

    [Fact]
    public void Parse_ABadEnvironmentValueTheCommandLineOverrides_IsNeverRead() =>
        Assert.Equal(5051, Parse(["--port=5051"], ("MESOS_PORT", "not-a-port")).Int("port"));

    [Fact]
    public void Parse_UnknownMesosEnvironmentVariables_AreIgnored()
    {
        var flags = Parse([], ("MESOS_SANDBOX", "/mnt/mesos/sandbox"), ("MESOS_TASK_ID", "t1"), ("MESOS_", "x"), ("PATH", "/bin"), ("mesos_port", "1"));

        Assert.Equal(5050, flags.Int("port"));
    }

    [Fact]
    public void Parse_TwoEnvironmentVariablesDisagreeing_FailsNamingBoth()
    {
        var error = Assert.Throws<FlagError>(() => Parse([], ("MESOS_WORK_DIR", "/a"), ("MESOS_work_dir", "/b")));

        Assert.Contains("work_dir", error.Message, StringComparison.Ordinal);
        Assert.Contains("MESOS_WORK_DIR", error.Message, StringComparison.Ordinal);
        Assert.Contains("MESOS_work_dir", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TwoEnvironmentVariablesAgreeing_AreFine() =>
        Assert.Equal("/a", Parse([], ("MESOS_WORK_DIR", "/a"), ("MESOS_work_dir", "/a")).String("work_dir"));

    [Theory]
    [InlineData("--bogus=1", "'bogus'")]
    [InlineData("--bogus", "'bogus'")]
    [InlineData("--no-bogus", "'no-bogus'")]
    [InlineData("--PORT=1", "'PORT'")]
    [InlineData("--work-dir=/x", "'work-dir'")]
    public void Parse_UnknownFlag_FailsNamingIt(string arg, string mention)
    {
        var error = Assert.Throws<FlagError>(() => Parse([arg]));
        Assert.Contains(mention, error.Message, StringComparison.Ordinal);
        Assert.Contains("unknown flag", error.Message, StringComparison.Ordinal);
    }

    public static readonly TheoryData<string[], (string Name, string Variable)[], string[]> BadValues = new()
    {
        { ["--port=abc"], [], ["'port'", "'abc'", "integer", "the command line"] },
        { ["--port", "50.5"], [], ["'port'", "'50.5'", "integer", "the command line"] },
        { ["--port=99999999999"], [], ["'port'", "'99999999999'", "integer"] },
        { ["--port="], [], ["'port'", "''", "integer"] },
        { [], [("MESOS_PORT", "abc")], ["'port'", "'abc'", "integer", "environment variable MESOS_PORT"] },
        { ["--agent_ping_timeout=15"], [], ["'agent_ping_timeout'", "'15'", "duration", "the command line"] },
        { ["--agent_ping_timeout=15sec"], [], ["'agent_ping_timeout'", "'15sec'", "duration"] },
        { ["--agent_ping_timeout=-1secs"], [], ["'agent_ping_timeout'", "'-1secs'", "duration"] },
        { ["--agent_ping_timeout=1e300weeks"], [], ["'agent_ping_timeout'", "'1e300weeks'", "too long"] },
        { [], [("MESOS_agent_ping_timeout", "soon")], ["'agent_ping_timeout'", "'soon'", "duration", "environment variable MESOS_agent_ping_timeout"] },
        { ["--switch_user=yes"], [], ["'switch_user'", "'yes'", "true or false", "the command line"] },
        { ["--switch_user="], [], ["'switch_user'", "''", "true or false"] },
        { [], [("MESOS_SWITCH_USER", "TRUE")], ["'switch_user'", "'TRUE'", "true or false", "environment variable MESOS_SWITCH_USER"] },
        { ["--gc_disk_headroom=lots"], [], ["'gc_disk_headroom'", "'lots'", "number"] },
        { ["--gc_disk_headroom=NaN"], [], ["'gc_disk_headroom'", "'NaN'", "number"] },
        { ["--gc_disk_headroom=1,5"], [], ["'gc_disk_headroom'", "'1,5'", "number"] },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Parse_BadValue_FailsNamingTheFlagTheValueAndWhereItCameFrom(string[] args, (string Name, string Variable)[] environment, string[] mentions)
    {
        var error = Assert.Throws<FlagError>(() => Parse(args, [.. environment]));
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--port")]
    [InlineData("--work_dir")]
    [InlineData("--work_dir", "--port=1")]
    [InlineData("--agent_ping_timeout")]
    public void Parse_AFlagThatNeedsAValueButGotNone_FailsNamingIt(params string[] args)
    {
        var error = Assert.Throws<FlagError>(() => Parse(args));
        Assert.Contains($"'{args[0]}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("needs a value", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--port=1", "--port=2")]
    [InlineData("--port=1", "--port", "1")]
    [InlineData("--switch_user", "--no-switch_user")]
    [InlineData("--no-switch_user", "--switch_user=false")]
    public void Parse_AFlagGivenTwice_FailsNamingIt(params string[] args)
    {
        var error = Assert.Throws<FlagError>(() => Parse(args));
        Assert.Contains("twice", error.Message, StringComparison.Ordinal);
        Assert.Contains(args[0], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NegatingANonBoolean_FailsNamingIt()
    {
        var error = Assert.Throws<FlagError>(() => Parse(["--no-port"]));
        Assert.Contains("'port'", error.Message, StringComparison.Ordinal);
        Assert.Contains("--no-port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ANegatedBooleanWithAValue_FailsNamingIt()
    {
        var error = Assert.Throws<FlagError>(() => Parse(["--no-switch_user=true"]));
        Assert.Contains("'switch_user'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'true'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5050")]
    [InlineData("-port=1")]
    [InlineData("--")]
    public void Parse_AnArgumentThatIsNotAFlag_FailsNamingIt(string arg)
    {
        var error = Assert.Throws<FlagError>(() => Parse([arg]));
        Assert.Contains($"'{arg}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ABadDefault_IsReportedAsComingFromTheDefault()
    {
        FlagDefinition[] definitions = [FlagDefinition.Duration("timeout", "soon", "A timeout")];

        var error = Assert.Throws<FlagError>(() => FlagParser.Parse(definitions, [], new Hashtable()));
        Assert.Contains("'timeout'", error.Message, StringComparison.Ordinal);
        Assert.Contains("its default", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_RequiredButMissing_FailNamingTheFlag()
    {
        var flags = Parse([]);

        Assert.Contains("--work_dir", Assert.Throws<FlagError>(() => flags.RequiredString("work_dir")).Message, StringComparison.Ordinal);
        Assert.Contains("--offer_timeout", Assert.Throws<FlagError>(() => flags.Duration("offer_timeout")).Message, StringComparison.Ordinal);
        Assert.Equal("/x", Parse(["--work_dir=/x"]).RequiredString("work_dir"));
    }

    [Fact]
    public void Values_AnUndefinedFlag_IsAProgrammingError() =>
        Assert.Throws<InvalidOperationException>(() => Parse([]).String("nope"));

    [Fact]
    public void Values_All_ListsEveryFlagWithItsSource()
    {
        var all = Parse(["--port=1"], ("MESOS_IP", "10.0.0.1")).All.ToList();

        Assert.Equal(Definitions.Select(d => d.Name).Order(StringComparer.Ordinal), all.Select(f => f.Name));
        Assert.Contains(("port", (string?)"1", "the command line"), all);
        Assert.Contains(("ip", (string?)"10.0.0.1", "environment variable MESOS_IP"), all);
        Assert.Contains(("registry", (string?)"replicated_log", "its default"), all);
    }

    [Fact]
    public void Help_ListsEveryFlagWithItsDefault()
    {
        var help = FlagParser.Help("Usage: mesos master [options]", Definitions);
        var lines = help.Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        Assert.StartsWith("Usage: mesos master [options]", help, StringComparison.Ordinal);
        foreach (var definition in Definitions)
        {
            var head = definition.Kind == FlagKind.Bool ? $"--[no-]{definition.Name}" : $"--{definition.Name}=VALUE";
            var line = Assert.Single(lines, l => l.TrimStart().StartsWith(head + " ", StringComparison.Ordinal));
            Assert.Contains(definition.Help, line, StringComparison.Ordinal);
            if (definition.Default is not null)
            {
                Assert.EndsWith($"(default: {definition.Default})", line, StringComparison.Ordinal);
            }
            else
            {
                Assert.DoesNotContain("(default:", line, StringComparison.Ordinal);
            }
        }

        Assert.Contains("(default: 5050)", help, StringComparison.Ordinal);
        Assert.Contains("(default: true)", help, StringComparison.Ordinal);
        Assert.Contains("(default: 15secs)", help, StringComparison.Ordinal);
        Assert.Contains("MESOS_", help, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ALongFlagName_StillLeavesSpaceBeforeItsHelp()
    {
        FlagDefinition[] definitions =
        [
            FlagDefinition.Duration("executor_reregistration_timeout", "2secs", "How long executors have to re-register"),
            FlagDefinition.Int("port", 5051, "Port"),
        ];

        var help = FlagParser.Help("Usage", definitions);

        Assert.Contains("--executor_reregistration_timeout=VALUE  How long", help, StringComparison.Ordinal);
        var lines = help.Split('\n');
        var columns = definitions.Select(d => lines.Single(l => l.Contains(d.Help, StringComparison.Ordinal)).IndexOf(d.Help, StringComparison.Ordinal));
        Assert.Single(columns.Distinct());
    }

    private static FlagValues Parse(string[] args, params (string Name, string Value)[] environment)
    {
        var variables = new Hashtable();
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        return FlagParser.Parse(Definitions, args, variables);
    }
}
