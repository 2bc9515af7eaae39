using System.Collections;
using Mesos.Cli;
using Mesos.Hosting.Flags;

namespace Mesos.Tests.Cli;

public sealed class CommandLineTests
{
    private static readonly FlagDefinition[] Definitions =
    [
        FlagDefinition.String("master", "127.0.0.1:5050", "master"),
        FlagDefinition.Bool("all", false, "all"),
    ];

    [Theory]
    [InlineData(new[] { "t-1", "stdout", "--master", "h:1" }, "h:1", false, "t-1 stdout")]
    [InlineData(new[] { "--master", "h:1", "t-1", "stdout" }, "h:1", false, "t-1 stdout")]
    [InlineData(new[] { "--all", "t-1", "--master=h:1", "stderr" }, "h:1", true, "t-1 stderr")]
    [InlineData(new[] { "t-1" }, "127.0.0.1:5050", false, "t-1")]
    public void Parse_SeparatesWordsFromFlags(string[] args, string master, bool all, string words)
    {
        var (flags, positionals) = CommandLine.Parse(Definitions, args, new Hashtable());
        Assert.Equal(master, flags.String("master"));
        Assert.Equal(all, flags.Bool("all"));
        Assert.Equal(words, string.Join(" ", positionals));
    }
}
