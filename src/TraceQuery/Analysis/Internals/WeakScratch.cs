namespace TraceQuery.Analysis.Internals;

/// <summary>
/// One span-sized scratch array kept between calls only through a weak reference: back-to-back statistics reuse it
/// (no 40 MB allocation per call at 5M spans), yet it holds no memory a full collection cannot take back, unlike the
/// shared array pool, which keeps such arrays for the process's life. Thread-safe: a caller takes the array out and
/// puts it back, so two concurrent callers never share one (the second allocates).
/// </summary>
internal static class WeakScratch<T>
    where T : unmanaged
{
    private static WeakReference<T[]>? _kept;

    /// <summary>An array of at least <paramref name="length"/> elements, uninitialized: the kept one when it is still alive and large enough.</summary>
    public static T[] Rent(int length)
    {
        var kept = Interlocked.Exchange(ref _kept, null);
        if (kept is not null && kept.TryGetTarget(out var array) && array.Length >= length)
            return array;
        return GC.AllocateUninitializedArray<T>(length);
    }

    /// <summary>Keeps <paramref name="array"/> weakly for the next <see cref="Rent"/> (replacing a smaller one).</summary>
    public static void Return(T[] array)
    {
        var kept = Volatile.Read(ref _kept);
        if (kept is not null && kept.TryGetTarget(out var other) && other.Length > array.Length)
            return;
        Volatile.Write(ref _kept, new WeakReference<T[]>(array));
    }
}
