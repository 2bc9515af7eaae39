namespace Mesos.Hosting.Files;

/// <summary>What a daemon's <c>/files</c> endpoints and its LIST_FILES / READ_FILE calls may serve.</summary>
public interface IFileTree
{
    /// <summary>The real path for a requested path, or the status and message to refuse it with.</summary>
    PathAccess Resolve(string? path);

    /// <summary>Virtual path to real path, as <c>/files/debug</c> shows it.</summary>
    IReadOnlyDictionary<string, string> Attachments { get; }
}
