namespace Mesos.Tests.Agent;

/// <summary>A fact that is skipped, with the reason, only on a machine where the tests cannot create cgroups.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class CgroupsFactAttribute : FactAttribute
{
    public CgroupsFactAttribute()
    {
        if (CgroupsAvailability.Config is null)
        {
            Skip = CgroupsAvailability.SkipReason;
        }
    }
}
