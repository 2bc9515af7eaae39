namespace Mesos.Core.Commands;

/// <summary>Timer: offers outstanding for longer than <paramref name="OfferTimeout"/> (--offer_timeout) are rescinded.</summary>
public sealed record ExpireOffers(TimeSpan OfferTimeout) : MasterCommand;
