namespace Mesos.Agent.ExecutorApi;

/// <summary>Mesos' <c>Executor::State</c> for a custom executor.</summary>
public enum ExecutorPhase
{
    Registering,
    Running,
    Terminating,
    Terminated,
}
