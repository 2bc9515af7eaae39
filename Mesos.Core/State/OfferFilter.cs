using Mesos.Core.Resources;

namespace Mesos.Core.State;

/// <summary>A decline filter: no offer on this agent whose resources are within <see cref="Refused"/> until <see cref="Until"/>.</summary>
public sealed record OfferFilter(ResourceSet Refused, DateTimeOffset Until)
{
    public bool Blocks(ResourceSet offer, DateTimeOffset now) => now < Until && Refused.Contains(offer);
}
