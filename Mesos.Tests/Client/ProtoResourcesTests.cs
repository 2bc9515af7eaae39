using Mesos.Client;
using Mesos.Core.Resources;
using Mesos.Protocol.V1;
using WireResource = Mesos.Protocol.V1.Resource;

namespace Mesos.Tests.Client;

public sealed class ProtoResourcesTests
{
    [Theory]
    [InlineData("cpus:0.5;mem:128")]
    [InlineData("cpus:2;disk:1024;mem:1024;ports:[31000-31005,32000-32000]")]
    [InlineData("bugs(debug):{a,b};cpus(eng):1")]
    public void ToWire_ThenBack_GivesTheSameResources(string text)
    {
        var resources = ResourceSet.Parse(text);
        Assert.Equal(resources, ProtoResources.ToResourceSet(ProtoResources.ToWire(resources)));
    }

    [Fact]
    public void ToWire_WithAllocationRole_MarksEveryResource()
    {
        var wire = ProtoResources.ToWire(ResourceSet.Parse("cpus:1;mem:32"), "eng");
        Assert.All(wire, r => Assert.Equal("eng", r.AllocationInfo.Role));
    }

    [Fact]
    public void ToResourceSet_EmptyRole_IsUnreserved()
    {
        var wire = new WireResource { Name = "cpus", Type = Value.Types.Type.Scalar, Scalar = new Value.Types.Scalar { Value = 2 } };
        Assert.Equal("cpus:2", ProtoResources.Format([wire]));
    }

    [Theory]
    [InlineData("cpus:1;mem:128;ports:[31000-32000]", "cpus:0.1;mem:32", true)]
    [InlineData("cpus:1;mem:128;ports:[31000-32000]", "cpus:0.1;mem:32;ports:[31000-31000]", true)]
    [InlineData("cpus:0.05;mem:128", "cpus:0.1;mem:32", false)]
    [InlineData("cpus(eng):1;mem:128", "cpus:0.1;mem:32", false)]
    public void OfferHoldsRequest_ComparesPerResourceAndRole(string offered, string requested, bool holds)
    {
        var offer = ProtoResources.ToResourceSet(ProtoResources.ToWire(ResourceSet.Parse(offered)));
        Assert.Equal(holds, offer.Contains(ResourceSet.Parse(requested)));
    }
}
