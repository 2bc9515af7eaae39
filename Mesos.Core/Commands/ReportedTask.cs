using Mesos.Core.Ids;
using Mesos.Core.Tasks;

namespace Mesos.Core.Commands;

/// <summary>A task an agent reports when it re-registers, with the state it last knows.</summary>
public sealed record ReportedTask(FrameworkId FrameworkId, TaskId TaskId, TaskState State);
