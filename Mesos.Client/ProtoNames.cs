using System.Collections.Concurrent;
using System.Reflection;
using Google.Protobuf.Reflection;

namespace Mesos.Client;

/// <summary>The <c>.proto</c> names of enum values (<c>TASK_RUNNING</c>, not C#'s <c>TaskRunning</c>), as Mesos prints them.</summary>
public static class ProtoNames
{
    private static readonly ConcurrentDictionary<Enum, string> Cache = new();

    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        Cache.GetOrAdd(value, static v =>
            v.GetType().GetField(v.ToString(), BindingFlags.Public | BindingFlags.Static)?.GetCustomAttribute<OriginalNameAttribute>()?.Name
            ?? v.ToString());
}
