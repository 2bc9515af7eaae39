namespace Mesos.Core.Decisions;

public sealed record DecideError(DecideErrorKind Kind, string Message);
