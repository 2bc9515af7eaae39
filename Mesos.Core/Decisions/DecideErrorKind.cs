namespace Mesos.Core.Decisions;

/// <summary>Why a command was refused; the edges map each kind to their own status (HTTP 400/403/404, gRPC codes).</summary>
public enum DecideErrorKind
{
    /// <summary>The command is malformed or asks for something impossible (more than the offer holds).</summary>
    InvalidArgument = 0,

    /// <summary>It names an agent, framework, offer or task the master does not know.</summary>
    NotFound = 1,

    /// <summary>It is well formed but not allowed in the current state (an illegal task transition, a removed framework).</summary>
    FailedPrecondition = 2,

    /// <summary>The caller is not entitled to it (a framework using another framework's offer).</summary>
    PermissionDenied = 3,

    /// <summary>The command was already applied (a retried status update): nothing to append, but not a failure.</summary>
    AlreadyApplied = 4,

    /// <summary>Well formed, but the state cannot satisfy it now (an operator RESERVE of resources the agent does not have free): HTTP 409.</summary>
    Conflict = 5,
}
