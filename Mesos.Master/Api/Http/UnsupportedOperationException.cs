namespace Mesos.Master.Api.Http;

/// <summary>An Offer.Operation type the core does not perform yet; the edge answers 501 rather than pretend.</summary>
public sealed class UnsupportedOperationException(string operationType)
    : Exception($"Offer operation '{operationType}' is not supported by this master yet")
{
    public string OperationType { get; } = operationType;
}
