namespace Mesos.Core.Tasks;

public enum HealthCheckType
{
    Command = 1,
    Http = 2,
    Tcp = 3,
}
