namespace TraceQuery.Model.Internals;

/// <summary>
/// The cache of a value built on first use and kept for the life of its owner, without a lock: threads that
/// build at the same time all get the copy that was published first.
/// </summary>
internal static class BuiltOnce
{
    /// <summary>Stores <paramref name="built"/> in <paramref name="field"/> unless another thread did first; returns what the field holds.</summary>
    public static T Publish<T>(ref T? field, T built)
        where T : class => Interlocked.CompareExchange(ref field, built, null) ?? built;
}
