using Mesos.Core.Ids;
using Mesos.Core.Maintenance;

namespace Mesos.Core.State;

/// <summary>
/// A framework's last answer to an inverse offer for an agent (Mesos' <c>InverseOfferStatus</c>), and until when it
/// gets no new inverse offer for that agent (its <c>refuse_seconds</c>).
/// </summary>
public sealed record InverseOfferStatus(FrameworkId FrameworkId, InverseOfferAnswer Answer, DateTimeOffset At, DateTimeOffset? RefuseUntil);
