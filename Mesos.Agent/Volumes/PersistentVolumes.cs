using Mesos.Protocol.V1;

namespace Mesos.Agent.Volumes;

/// <summary>
/// Persistent volumes on this agent, as Mesos' agent keeps them: a directory per volume under
/// <c>&lt;work_dir&gt;/volumes/roles/&lt;role&gt;/&lt;persistence id&gt;</c> (a '/' of a hierarchical role written as ' ', as
/// Mesos' <c>paths::getPersistentVolumePath</c>), made when the master's checkpointed resources name it and removed
/// when they no longer do (<c>syncCheckpointedResources</c>). The list the agent last had is kept in
/// <c>&lt;work_dir&gt;/meta/resources/volumes</c>, so that after a restart it still knows which directories are volumes.
/// A task given a volume sees it at <c>&lt;sandbox&gt;/&lt;container_path&gt;</c>, a symlink, as Mesos' filesystem/posix isolator.
/// </summary>
public static class PersistentVolumes
{
    public static string VolumePath(string workDir, string role, string persistenceId) =>
        Path.Combine(workDir, "volumes", "roles", role.Replace('/', ' '), CheckSegment(persistenceId));

    private static string ListFile(string workDir) => Path.Combine(workDir, "meta", "resources", "volumes");

    /// <summary>The volumes in <paramref name="resources"/>, as (role, persistence id, container path).</summary>
    public static IEnumerable<(string Role, string Id, string ContainerPath)> Of(IEnumerable<Resource> resources) =>
        resources
            .Where(r => r.Disk?.Persistence is not null && r.Disk.Volume is not null)
            .Select(r => (Role(r), r.Disk.Persistence.Id, r.Disk.Volume.ContainerPath));

    /// <summary>
    /// Brings the volume directories in step with the master's <paramref name="checkpointed"/> resources; returns the
    /// directories it removed. Called for every CheckpointResources message, so it is idempotent.
    /// </summary>
    public static IReadOnlyList<string> Sync(string workDir, IEnumerable<Resource> checkpointed)
    {
        var wanted = Of(checkpointed).Select(v => VolumePath(workDir, v.Role, v.Id)).Distinct(StringComparer.Ordinal).ToList();
        var file = ListFile(workDir);
        var previous = File.Exists(file) ? File.ReadAllLines(file) : [];
        foreach (var path in wanted)
        {
            Directory.CreateDirectory(path);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temporary = file + ".tmp";
        File.WriteAllLines(temporary, wanted);
        File.Move(temporary, file, overwrite: true);

        var removed = new List<string>();
        foreach (var path in previous.Except(wanted, StringComparer.Ordinal))
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
                removed.Add(path);
            }
        }

        return removed;
    }

    /// <summary>Links each volume of <paramref name="resources"/> into <paramref name="sandbox"/> at its container path.</summary>
    public static void Link(string workDir, string sandbox, IEnumerable<Resource> resources)
    {
        foreach (var (role, id, containerPath) in Of(resources))
        {
            var target = VolumePath(workDir, role, id);
            Directory.CreateDirectory(target);
            var link = Path.GetFullPath(Path.Combine(sandbox, containerPath));
            var root = Path.GetFullPath(sandbox) + Path.DirectorySeparatorChar;
            if (!link.StartsWith(root, StringComparison.Ordinal) || Path.IsPathRooted(containerPath))
            {
                throw new ArgumentException($"container path '{containerPath}' of volume '{id}' is not inside the sandbox");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            if (new FileInfo(link).LinkTarget is { } existing)
            {
                if (existing == target)
                {
                    continue;
                }

                File.Delete(link);
            }

            Directory.CreateSymbolicLink(link, target);
        }
    }

    private static string Role(Resource resource) =>
        resource.Reservations.Count > 0 ? resource.Reservations[^1].Role : resource.Role.Length > 0 ? resource.Role : "*";

    private static string CheckSegment(string id) =>
        id.Length == 0 || id is "." or ".." || id.Contains('/', StringComparison.Ordinal) || id.Contains('\0', StringComparison.Ordinal)
            ? throw new ArgumentException($"'{id}' cannot be used as a directory name")
            : id;
}
