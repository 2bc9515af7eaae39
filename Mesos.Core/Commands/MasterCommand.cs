namespace Mesos.Core.Commands;

/// <summary>
/// Something asked of the master, by an agent, a framework, an operator or a timer. Decide turns it into events
/// or a typed error; <see cref="Principal"/> is recorded on every event it produces.
/// </summary>
public abstract record MasterCommand
{
    public required string Principal { get; init; }
}
