using System.Collections.Immutable;
using Mesos.Core.Ids;
using Mesos.Core.State;
using Mesos.Projections.Engine;
using Mesos.Projections.Views;

namespace Mesos.Projections.Offers;

/// <summary>The outstanding offers, by id: an offer leaves once accepted, declined, rescinded or expired.</summary>
public sealed class OffersProjection : IProjection
{
    private ImmutableSortedDictionary<OfferId, OfferView> offers = ImmutableSortedDictionary<OfferId, OfferView>.Empty;
    private long position;

    public string Name => "offers";

    public int Version => 1;

    public long Position => Volatile.Read(ref position);

    public ImmutableSortedDictionary<OfferId, OfferView> Offers => Volatile.Read(ref offers);

    /// <summary>The outstanding offers of a state, for a moment in the past.</summary>
    public static IReadOnlyList<OfferView> FromState(ClusterState state) =>
        [.. state.Offers.Values.OrderBy(o => o.Id).Select(o => OfferView.From(o, state))];

    public void Apply(ProjectionContext context)
    {
        var next = offers;
        foreach (var id in context.Scope.Offers)
        {
            next = context.After.Offers.TryGetValue(id, out var offer)
                ? next.SetItem(id, OfferView.From(offer, context.After))
                : next.Remove(id);
        }

        Volatile.Write(ref offers, next);
        Volatile.Write(ref position, context.Position);
    }

    public void Reset()
    {
        Volatile.Write(ref offers, ImmutableSortedDictionary<OfferId, OfferView>.Empty);
        Volatile.Write(ref position, 0);
    }
}
