namespace Mesos.Agent.Isolation;

/// <summary>Which cgroups interface the machine offers: one hierarchy per controller (v1) or the unified one (v2).</summary>
public enum CgroupsVersion
{
    V1,
    V2,
}
