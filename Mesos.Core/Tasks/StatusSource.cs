namespace Mesos.Core.Tasks;

public enum StatusSource
{
    Master = 0,
    Agent = 1,
    Executor = 2,
}
