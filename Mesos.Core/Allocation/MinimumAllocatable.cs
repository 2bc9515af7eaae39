using Mesos.Core.Resources;

namespace Mesos.Core.Allocation;

/// <summary>Mesos' default <c>--min_allocatable_resources=cpus:0.01|mem:32</c>: an offer must hold at least one of these.</summary>
public static class MinimumAllocatable
{
    public const string Text = "cpus:0.01|mem:32";

    private static readonly ScalarValue MinCpus = ScalarValue.FromDouble(0.01);
    private static readonly ScalarValue MinMem = ScalarValue.FromDouble(32);

    public static bool IsMet(ResourceSet resources) => resources.Scalar("cpus") >= MinCpus || resources.Scalar("mem") >= MinMem;
}
