namespace Mesos.Hosting.Flags;

public enum FlagKind
{
    String = 0,
    Int = 1,
    Bool = 2,
    Duration = 3,
    Double = 4,
}
