using Mesos.Core.State;

namespace Mesos.Master.Recovery;

public sealed record ReplayResult(ClusterState State, long Position, long Events, TimeSpan Elapsed);
