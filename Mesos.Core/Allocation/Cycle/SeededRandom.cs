namespace Mesos.Core.Allocation.Cycle;

/// <summary>
/// SplitMix64: a tiny generator whose sequence is fixed by its seed on every machine and runtime, which
/// <see cref="Random"/> does not promise. Also a stable string hash, since <see cref="string.GetHashCode()"/> is
/// randomised per process.
/// </summary>
public struct SeededRandom(long seed)
{
    private ulong state = (ulong)seed;

    public ulong Next()
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>A value in [0, <paramref name="bound"/>).</summary>
    public int NextInt(int bound) => (int)(Next() % (ulong)bound);

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The tie-break key of a named client in the cycle of <paramref name="seed"/>.</summary>
    public static ulong TieBreak(long seed, string name)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 0x100000001B3UL;
        }

        return Mix(hash ^ Mix((ulong)seed));
    }
}
