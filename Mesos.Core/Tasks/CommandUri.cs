namespace Mesos.Core.Tasks;

/// <summary>
/// Mesos' CommandInfo.URI: fetched into the sandbox before the command starts. <paramref name="Extract"/> is already
/// resolved (Mesos' default is true); an empty <paramref name="OutputFile"/> means the URI's last segment.
/// </summary>
public sealed record CommandUri(string Value, bool Executable, bool Extract, bool Cache, string OutputFile);
