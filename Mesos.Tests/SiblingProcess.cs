using System.Diagnostics;

namespace Mesos.Tests;

/// <summary>
/// Starts an assembly that is copied beside the tests (mesos.dll, Mesos.Benchmarks.dll) as a child process on the
/// tests' own runtime and dependency list, so a test can kill it like any real daemon.
/// </summary>
public static class SiblingProcess
{
    public static ProcessStartInfo StartInfo(string assemblyPath, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        foreach (var argument in new[]
        {
            "exec",
            "--runtimeconfig", Path.Combine(AppContext.BaseDirectory, "Mesos.Tests.runtimeconfig.json"),
            "--depsfile", Path.Combine(AppContext.BaseDirectory, "Mesos.Tests.deps.json"),
            assemblyPath,
        }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        return Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
    }
}
