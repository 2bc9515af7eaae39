namespace Mesos.Agent.Registration;

/// <summary>The agent id the master gave, kept in <c>&lt;work_dir&gt;/meta/agent_id</c> so a restarted agent re-registers as itself.</summary>
public static class AgentIdStore
{
    public static string PathIn(string workDir) => Path.Combine(workDir, "meta", "agent_id");

    public static string? Load(string workDir)
    {
        var path = PathIn(workDir);
        return File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } id ? id : null;
    }

    public static void Save(string workDir, string agentId)
    {
        var path = PathIn(workDir);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        // Write then rename, so a crash never leaves a half-written id behind.
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, agentId);
        File.Move(temporary, path, overwrite: true);
    }
}
