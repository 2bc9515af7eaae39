namespace Mesos.Core.Allocation.Audit;

/// <summary>How many recorded cycles were re-run, and the first that differs (null when all match).</summary>
public sealed record AuditResult(int CyclesChecked, long EventsRead, AuditMismatch? FirstMismatch)
{
    public bool AllMatch => FirstMismatch is null;
}
