namespace Mesos.Tests.Core.State;

/// <summary>
/// One generated step of <see cref="ClusterSimulation"/>: what to do (<paramref name="Kind"/>, 0-99), which target
/// to pick among the current candidates (<paramref name="Pick"/>, taken modulo their count), a free choice for the
/// details (<paramref name="Detail"/>), and how far the clock moves first. Steps name no ids, so every step is
/// valid whatever came before, and CsCheck can shrink a failing sequence freely.
/// </summary>
public readonly record struct SimulationStep(int Kind, int Pick, int Detail, int Seconds);
