namespace Mesos.Hosting.Flags;

/// <summary>A bad flag: the message names the flag, the value and what was expected, on one line.</summary>
public sealed class FlagError(string message) : Exception(message);
