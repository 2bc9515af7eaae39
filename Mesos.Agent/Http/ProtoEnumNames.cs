using System.Collections.Concurrent;
using System.Reflection;
using Google.Protobuf.Reflection;

namespace Mesos.Agent.Http;

/// <summary>Wire enums by their .proto names (<c>TASK_RUNNING</c>), as Mesos' JSON writes them, not the C# names.</summary>
internal static class ProtoEnumNames
{
    private static readonly ConcurrentDictionary<Enum, string> Cache = new();

    public static string Of<T>(T value)
        where T : struct, Enum =>
        Cache.GetOrAdd(value, v => typeof(T).GetField(v.ToString())?.GetCustomAttribute<OriginalNameAttribute>()?.Name ?? v.ToString());
}
