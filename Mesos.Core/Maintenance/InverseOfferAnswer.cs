namespace Mesos.Core.Maintenance;

/// <summary>Mesos' <c>InverseOfferStatus.Status</c>, numbered as Mesos numbers it: a framework's advisory answer to an inverse offer.</summary>
public enum InverseOfferAnswer
{
    Unknown = 1,
    Accept = 2,
    Decline = 3,
}
