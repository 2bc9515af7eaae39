using System.Globalization;
using Google.Protobuf;
using Mesos.Protocol.V1;
using TaskStatus = Mesos.Protocol.V1.TaskStatus;

namespace Mesos.Agent.Recovery;

/// <summary>Reads back what <see cref="TaskCheckpoint"/> wrote for an agent id: every run not yet forgotten.</summary>
public static class CheckpointReader
{
    /// <summary>
    /// The recoverable tasks, and a line for each run that could not be read. A torn last record of an update log
    /// (the agent died while appending it) is not a problem: that update was never sent, as Mesos also reads it.
    /// </summary>
    public static (IReadOnlyList<RecoveredTask> Tasks, IReadOnlyList<string> Problems) Read(string workDir, string agentId)
    {
        var tasks = new List<RecoveredTask>();
        var problems = new List<string>();
        var frameworks = Path.Combine(TaskCheckpoint.AgentDirectory(workDir, agentId), "frameworks");
        if (!Directory.Exists(frameworks))
        {
            return (tasks, problems);
        }

        foreach (var frameworkDirectory in Directory.EnumerateDirectories(frameworks).Order(StringComparer.Ordinal))
        {
            var frameworkId = Path.GetFileName(frameworkDirectory);
            var executors = Path.Combine(frameworkDirectory, "executors");
            if (!Directory.Exists(executors))
            {
                continue;
            }

            foreach (var runDirectory in Directory.EnumerateDirectories(executors)
                         .SelectMany(e => Directory.Exists(Path.Combine(e, "runs")) ? Directory.EnumerateDirectories(Path.Combine(e, "runs")) : [])
                         .Order(StringComparer.Ordinal))
            {
                var executorId = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(runDirectory))!);
                var containerId = Path.GetFileName(runDirectory);
                var taskDirectories = Directory.Exists(Path.Combine(runDirectory, "tasks"))
                    ? Directory.EnumerateDirectories(Path.Combine(runDirectory, "tasks")).ToList()
                    : [];
                if (taskDirectories.Count == 0)
                {
                    // The agent died between creating the run and checkpointing its task: nothing was launched.
                    Directory.Delete(runDirectory, recursive: true);
                    continue;
                }

                foreach (var taskDirectory in taskDirectories)
                {
                    try
                    {
                        tasks.Add(ReadTask(workDir, agentId, frameworkId, executorId, containerId, Path.GetFileName(taskDirectory)));
                    }
                    catch (Exception e) when (e is IOException or InvalidProtocolBufferException or FormatException or ArgumentException)
                    {
                        problems.Add($"Cannot recover task checkpoint '{taskDirectory}': {e.Message}");
                    }
                }
            }
        }

        return (tasks, problems);
    }

    private static RecoveredTask ReadTask(string workDir, string agentId, string frameworkId, string executorId, string containerId, string taskId)
    {
        var checkpoint = new TaskCheckpoint(workDir, agentId, frameworkId, executorId, containerId, taskId);
        var framework = FrameworkInfo.Parser.ParseFrom(File.ReadAllBytes(checkpoint.FrameworkInfoPath));
        var task = TaskInfo.Parser.ParseFrom(File.ReadAllBytes(checkpoint.TaskInfoPath));
        if (framework.Id != frameworkId || task.TaskId != taskId)
        {
            throw new FormatException($"it names framework '{framework.Id}' and task '{task.TaskId}'");
        }

        int? pid = null;
        ulong? startTime = null;
        if (File.Exists(checkpoint.PidPath))
        {
            var fields = File.ReadAllText(checkpoint.PidPath).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (fields.Length != 2)
            {
                throw new FormatException($"'{checkpoint.PidPath}' is not 'pid starttime'");
            }

            pid = int.Parse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture);
            startTime = ulong.Parse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture);
        }

        var updates = new List<TaskStatus>();
        var pending = new Queue<TaskStatus>();
        if (File.Exists(checkpoint.UpdatesPath))
        {
            var log = File.ReadAllBytes(checkpoint.UpdatesPath);
            var whole = ReadUpdates(log, updates, pending);
            if (whole < log.Length)
            {
                // A record torn by a crash was never sent; cut it off, or this agent's appends would follow it and be
                // read as part of it.
                using var file = new FileStream(checkpoint.UpdatesPath, FileMode.Open, FileAccess.Write, FileShare.Read);
                file.SetLength(whole);
                file.Flush(flushToDisk: true);
            }
        }

        (ExecutorInfo, string, int)? taskGroup = null;
        if (File.Exists(checkpoint.GroupRunPath))
        {
            var fields = File.ReadAllText(checkpoint.GroupRunPath).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (fields.Length != 2)
            {
                throw new FormatException($"'{checkpoint.GroupRunPath}' is not 'container group'");
            }

            var executor = ExecutorInfo.Parser.ParseFrom(File.ReadAllBytes(checkpoint.GroupExecutorPath));
            taskGroup = (executor, fields[0], int.Parse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture));
        }

        return new RecoveredTask(framework, task, executorId, containerId, checkpoint, pid, startTime, updates, pending.ToList()) { TaskGroup = taskGroup };
    }

    /// <returns>How many bytes of the log are whole records.</returns>
    private static int ReadUpdates(byte[] log, List<TaskStatus> updates, Queue<TaskStatus> pending)
    {
        var offset = 0;
        while (offset < log.Length)
        {
            var recordStart = offset;
            var kind = log[offset++];
            if (!TryReadLength(log, ref offset, out var length) || length > log.Length - offset)
            {
                return recordStart;
            }

            var payload = ByteString.CopyFrom(log, offset, length);
            offset += length;
            switch (kind)
            {
                case TaskCheckpoint.UpdateRecord:
                    var status = TaskStatus.Parser.ParseFrom(payload);
                    updates.Add(status);
                    pending.Enqueue(status);
                    break;
                case TaskCheckpoint.AckRecord:
                    // Acknowledgements come for the head only, in order; anything else is a stale duplicate.
                    if (pending.TryPeek(out var head) && head.Uuid.Equals(payload))
                    {
                        pending.Dequeue();
                    }

                    break;
                default:
                    throw new FormatException($"unknown record kind {kind} in the update log");
            }
        }

        return log.Length;
    }

    private static bool TryReadLength(byte[] log, ref int offset, out int length)
    {
        length = 0;
        for (var shift = 0; shift < 32; shift += 7)
        {
            if (offset >= log.Length)
            {
                return false;
            }

            var b = log[offset++];
            length |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return length >= 0;
            }
        }

        return false;
    }
}
