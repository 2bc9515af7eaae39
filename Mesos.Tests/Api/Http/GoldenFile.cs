using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mesos.Tests.Api.Http;

/// <summary>
/// Golden JSON files under Api/Http/Golden. Times and uuids are normalised first (they differ between runs of a
/// live master); ids are deterministic where the input is. A missing file is written and the test fails, so a new
/// golden is always looked at once; <c>MESOS_UPDATE_GOLDEN=1</c> rewrites them all.
/// </summary>
internal static class GoldenFile
{
    private static readonly HashSet<string> TimeFields =
        ["registered_time", "reregistered_time", "unregistered_time", "start_time", "elected_time", "timestamp", "nanoseconds", "master/uptime_secs"];

    // The state hash follows the canonical form of the whole state, which other changes to the core may move.
    private static readonly HashSet<string> UuidFields = ["uuid", "status_update_uuid", "state_hash"];

    public static void Verify(string name, string json, [CallerFilePath] string caller = "")
    {
        var normalised = Normalise(JsonNode.Parse(json))!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n") + "\n";
        var path = Path.Combine(Path.GetDirectoryName(caller)!, "Golden", name + ".json");
        if (!File.Exists(path) || Environment.GetEnvironmentVariable("MESOS_UPDATE_GOLDEN") == "1")
        {
            var existed = File.Exists(path);
            File.WriteAllText(path, normalised);
            Assert.True(existed, $"golden file {path} was missing and has been written: review and commit it");
            return;
        }

        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), normalised);
    }

    public static JsonNode? Normalise(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    o[key] = TimeFields.Contains(key) && value is JsonValue ? JsonValue.Create(0)
                        : UuidFields.Contains(key) && value is JsonValue ? JsonValue.Create("UUID")
                        : Normalise(value?.DeepClone());
                }

                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    a[i] = Normalise(a[i]?.DeepClone());
                }

                return a;
            default:
                return node;
        }
    }
}
