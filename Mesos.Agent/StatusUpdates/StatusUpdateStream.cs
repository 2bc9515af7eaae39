using Google.Protobuf;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Agent.StatusUpdates;

/// <summary>The ordered, not yet acknowledged updates of one task, and when its head is next (re)sent.</summary>
internal sealed class StatusUpdateStream(string frameworkId, string taskId, long order, TimeSpan interval)
{
    public string FrameworkId { get; } = frameworkId;

    public string TaskId { get; } = taskId;

    /// <summary>Creation order, so streams are served oldest first.</summary>
    public long Order { get; } = order;

    public Queue<TaskStatus> Updates { get; } = new();

    public HashSet<ByteString> SeenUuids { get; } = [];

    public bool TerminalQueued { get; set; }

    /// <summary>Null means the head has not been sent since it became the head (or a resend was asked for).</summary>
    public DateTimeOffset? NextAttempt { get; set; }

    public TimeSpan Interval { get; set; } = interval;
}
