namespace Mesos.Master.Loop;

/// <summary>
/// An append was refused because the log had moved past the position this master expected: another master wrote.
/// A master that meets it while electing itself steps back to standby and tries again; a leader stops.
/// </summary>
public sealed class LogFencedException(string message) : InvalidOperationException(message);
