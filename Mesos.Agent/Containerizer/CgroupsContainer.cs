using System.Diagnostics;
using System.Globalization;
using Mesos.Agent.Isolation;

namespace Mesos.Agent.Containerizer;

/// <summary>A container in its own cgroups: its end carries the OOM verdict, and destroying it kills every process in them.</summary>
public sealed class CgroupsContainer : IContainer, IContainerUsage
{
    private const double BytesPerMegabyte = 1024 * 1024;

    private readonly IContainer _inner;
    private readonly ContainerCgroups _cgroups;
    private readonly Lock _gate = new();
    private bool _removed;

    public CgroupsContainer(IContainer inner, ContainerCgroups cgroups)
    {
        _inner = inner;
        _cgroups = cgroups;
        Exited = WatchAsync();
    }

    public string ContainerId => _inner.ContainerId;

    public int ProcessGroupId => _inner.ProcessGroupId;

    public Task<ContainerExit> Exited { get; }

    public ContainerCgroups Cgroups => _cgroups;

    public double? CpusLimit => _cgroups.CpusLimit;

    public long? MemoryLimitBytes => _cgroups.MemoryLimitBytes;

    public ResourceUsage Usage() => _cgroups.Usage();

    public async Task DestroyAsync(TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        if (_cgroups.Pids().Count > 0)
        {
            // SIGTERM to the group and to whatever left it (a daemon in its own session is still in the cgroup).
            if (ProcessTable.LiveMembersOfGroup(ProcessGroupId).Count > 0)
            {
                PosixSignals.SignalGroup(ProcessGroupId, PosixSignals.SigTerm);
            }

            _cgroups.Signal(PosixSignals.SigTerm);
            var waited = Stopwatch.StartNew();
            while (waited.Elapsed < gracePeriod && _cgroups.Pids().Count > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
            }

            await _cgroups.KillAllAsync(cancellationToken).ConfigureAwait(false);
        }

        await _inner.DestroyAsync(TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        await Exited.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (!_removed)
            {
                _removed = _cgroups.Remove();
            }
        }
    }

    private async Task<ContainerExit> WatchAsync()
    {
        var exit = await _inner.Exited.ConfigureAwait(false);
        var (oomKilled, maxUsage) = _cgroups.MemoryEvents();
        if (!oomKilled)
        {
            return exit;
        }

        // Mesos' memory isolator wording.
        var message = string.Create(CultureInfo.InvariantCulture,
            $"Memory limit exceeded: Requested: {(_cgroups.MemoryLimitBytes ?? 0) / BytesPerMegabyte:0.##}MB Maximum Used: {(maxUsage ?? 0) / BytesPerMegabyte:0.##}MB");
        return exit with { Limitation = new ContainerLimitation(ContainerLimitationKind.Memory, message) };
    }
}
