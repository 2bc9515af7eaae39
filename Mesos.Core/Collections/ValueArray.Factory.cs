namespace Mesos.Core.Collections;

public static class ValueArray
{
    public static ValueArray<T> Create<T>(ReadOnlySpan<T> items) => new([.. items]);

    public static ValueArray<T> From<T>(IEnumerable<T> items) => new([.. items]);
}
