using System.Globalization;
using System.Text;
using Google.Protobuf;
using Mesos.Agent.Executor;
using Mesos.Protocol.V1;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Agent.Recovery;

/// <summary>
/// Where one task's run is checkpointed, after Mesos' <c>meta/</c> layout:
/// <code>
/// meta/slaves/A/frameworks/F/framework.info                         FrameworkInfo (protobuf)
/// meta/slaves/A/frameworks/F/executors/E/runs/C/forked.pid          "pid starttime" of the task's supervisor
/// meta/slaves/A/frameworks/F/executors/E/runs/C/exit_status         the task's exit code, written by the supervisor
/// meta/slaves/A/frameworks/F/executors/E/runs/C/tasks/T/task.info   TaskInfo (protobuf)
/// meta/slaves/A/frameworks/F/executors/E/runs/C/tasks/T/task.updates  records: 'U' + delimited TaskStatus | 'A' + delimited uuid
/// meta/slaves/A/frameworks/F/executors/E/runs/C/executor.info       for a task of a task group: the default executor's ExecutorInfo
/// meta/slaves/A/frameworks/F/executors/E/runs/C/executor.run        and "container group": its executor run and the task's group
/// </code>
/// A task of a task group is checkpointed as a run of its own (C is its process' container), so that its pid and exit
/// status stay apart from its siblings'.
/// The run directory is removed once the task's terminal update is acknowledged: nothing is left to recover.
/// </summary>
public sealed class TaskCheckpoint
{
    public const byte UpdateRecord = (byte)'U';
    public const byte AckRecord = (byte)'A';

    // Updates are appended by the executor's thread and acknowledgements by the master connection's; .NET's append
    // mode writes at an offset each stream took at open, so two unserialized appends overwrite each other's bytes.
    private readonly Lock _updatesGate = new();
    private bool _removed;

    public TaskCheckpoint(string workDir, string agentId, string frameworkId, string executorId, string containerId, string taskId)
    {
        FrameworkDirectory = Path.Combine(AgentDirectory(workDir, agentId), "frameworks", frameworkId);
        RunDirectory = Path.Combine(FrameworkDirectory, "executors", executorId, "runs", containerId);
        TaskDirectory = Path.Combine(RunDirectory, "tasks", taskId);

        // Throws for an id that could climb out of its directory, exactly as the sandbox paths do.
        _ = SandboxLayout.ExecutorDirectory(workDir, agentId, frameworkId, executorId);
        _ = SandboxLayout.RunDirectory(workDir, agentId, frameworkId, executorId, containerId);
        _ = SandboxLayout.ExecutorDirectory(workDir, agentId, frameworkId, taskId);
    }

    public string FrameworkDirectory { get; }

    public string RunDirectory { get; }

    public string TaskDirectory { get; }

    public string FrameworkInfoPath => Path.Combine(FrameworkDirectory, "framework.info");

    public string TaskInfoPath => Path.Combine(TaskDirectory, "task.info");

    public string UpdatesPath => Path.Combine(TaskDirectory, "task.updates");

    public string PidPath => Path.Combine(RunDirectory, "forked.pid");

    public string ExitStatusPath => Path.Combine(RunDirectory, "exit_status");

    public string GroupExecutorPath => Path.Combine(RunDirectory, "executor.info");

    public string GroupRunPath => Path.Combine(RunDirectory, "executor.run");

    public static string AgentDirectory(string workDir, string agentId) => Path.Combine(workDir, "meta", "slaves", agentId);

    /// <summary>Written before the task is launched, so a task that runs is always one the next agent can find.</summary>
    public void WriteLaunch(FrameworkInfo framework, TaskInfo task)
    {
        CheckpointFiles.WriteAtomically(FrameworkInfoPath, framework.ToByteArray());
        CheckpointFiles.WriteAtomically(TaskInfoPath, task.ToByteArray());
    }

    /// <summary>For a task of a task group, before it is launched: which default executor run and group it belongs to.</summary>
    public void WriteGroup(ExecutorInfo executor, string executorContainerId, int group)
    {
        CheckpointFiles.WriteAtomically(GroupExecutorPath, executor.ToByteArray());
        CheckpointFiles.WriteAtomically(GroupRunPath, Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{executorContainerId} {group}\n")));
    }

    public void WritePid(int pid, ulong startTime) =>
        CheckpointFiles.WriteAtomically(PidPath, Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{pid} {startTime}\n")));

    public void AppendUpdate(TaskStatus status) => Append(UpdateRecord, status.ToByteString());

    public void AppendAcknowledgement(ByteString uuid) => Append(AckRecord, uuid);

    /// <summary>Forgets the run; a failure only leaves a run the next recovery finds fully acknowledged and drops.</summary>
    public void Remove()
    {
        lock (_updatesGate)
        {
            // A late append must not bring back a task directory with an update log and no task.info.
            _removed = true;
            try
            {
                Directory.Delete(RunDirectory, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    private void Append(byte kind, ByteString payload)
    {
        var record = new byte[1 + CodedOutputStream.ComputeLengthSize(payload.Length) + payload.Length];
        record[0] = kind;
        var length = (uint)payload.Length;
        var offset = 1;
        while (length >= 0x80)
        {
            record[offset++] = (byte)(length | 0x80);
            length >>= 7;
        }

        record[offset++] = (byte)length;
        payload.Span.CopyTo(record.AsSpan(offset));
        lock (_updatesGate)
        {
            if (!_removed)
            {
                CheckpointFiles.AppendDurably(UpdatesPath, record);
            }
        }
    }
}
