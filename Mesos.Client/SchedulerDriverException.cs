namespace Mesos.Client;

/// <summary>The master refused the framework for good (invalid FrameworkInfo, not authorized): retrying cannot help.</summary>
public sealed class SchedulerDriverException(string message, Exception? innerException = null) : Exception(message, innerException);
