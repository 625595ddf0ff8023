using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

internal static partial class KernelDrivers
{
    /// <summary>
    /// Folds transform(x[i], argument) over the span with the aggregation, starting from its identity. The vector
    /// body keeps four accumulators (independent dependency chains) and masks the tail: the last full vector is
    /// reloaded and the lanes already folded are replaced by the identity, so nothing counts twice.
    /// </summary>
    public static TOut Aggregate<TIn, TOut, TTransform, TAggregate>(ReadOnlySpan<TIn> x, TOut argument)
        where TTransform : ITransformOperator<TIn, TOut>
        where TAggregate : IAggregationOperator<TOut>
    {
        if (TTransform.Vectorizable && TAggregate.Vectorizable
            && KernelDispatch.UseVector256<TIn>() && Vector256<TOut>.IsSupported
            && Vector256<TIn>.Count == Vector256<TOut>.Count
            && x.Length >= Vector256<TIn>.Count)
        {
            return AggregateVector256<TIn, TOut, TTransform, TAggregate>(x, argument);
        }

        return AggregateScalar<TIn, TOut, TTransform, TAggregate>(x, argument);
    }

    /// <summary>The scalar twin of <see cref="Aggregate{TIn, TOut, TTransform, TAggregate}"/>: a sequential fold.</summary>
    public static TOut AggregateScalar<TIn, TOut, TTransform, TAggregate>(ReadOnlySpan<TIn> x, TOut argument)
        where TTransform : ITransformOperator<TIn, TOut>
        where TAggregate : IAggregationOperator<TOut>
    {
        TOut result = TAggregate.IdentityValue;
        foreach (TIn value in x)
            result = TAggregate.Invoke(result, TTransform.Invoke(value, argument));
        return result;
    }

    private static TOut AggregateVector256<TIn, TOut, TTransform, TAggregate>(ReadOnlySpan<TIn> x, TOut argument)
        where TTransform : ITransformOperator<TIn, TOut>
        where TAggregate : IAggregationOperator<TOut>
    {
        ref TIn xRef = ref MemoryMarshal.GetReference(x);
        nuint length = (nuint)x.Length;
        nuint count = (nuint)Vector256<TIn>.Count;
        Vector256<TOut> argumentVector = Vector256.Create(argument);
        Vector256<TOut> identity = Vector256.Create(TAggregate.IdentityValue);
        Vector256<TOut> acc0 = identity, acc1 = identity, acc2 = identity, acc3 = identity;

        nuint i = 0;
        for (; i + 4 * count <= length; i += 4 * count)
        {
            acc0 = TAggregate.Invoke(acc0, TTransform.Invoke(Vector256.LoadUnsafe(ref xRef, i), argumentVector));
            acc1 = TAggregate.Invoke(acc1, TTransform.Invoke(Vector256.LoadUnsafe(ref xRef, i + count), argumentVector));
            acc2 = TAggregate.Invoke(acc2, TTransform.Invoke(Vector256.LoadUnsafe(ref xRef, i + 2 * count), argumentVector));
            acc3 = TAggregate.Invoke(acc3, TTransform.Invoke(Vector256.LoadUnsafe(ref xRef, i + 3 * count), argumentVector));
        }

        for (; i + count <= length; i += count)
            acc0 = TAggregate.Invoke(acc0, TTransform.Invoke(Vector256.LoadUnsafe(ref xRef, i), argumentVector));

        if (i != length)
        {
            Vector256<TOut> last = TTransform.Invoke(Vector256.LoadUnsafe(ref xRef, length - count), argumentVector);
            Vector256<TOut> keep = LastLanesMask<TOut>((int)(length - i));
            acc1 = TAggregate.Invoke(acc1, Vector256.ConditionalSelect(keep, last, identity));
        }

        return TAggregate.Invoke(TAggregate.Invoke(TAggregate.Invoke(acc0, acc1), TAggregate.Invoke(acc2, acc3)));
    }

    /// <summary>
    /// Two aggregations of the elements in one pass (for example min and max), with the same masked tail as
    /// <see cref="Aggregate{TIn, TOut, TTransform, TAggregate}"/>.
    /// </summary>
    public static (T First, T Second) AggregatePair<T, TFirst, TSecond>(ReadOnlySpan<T> x)
        where TFirst : IAggregationOperator<T>
        where TSecond : IAggregationOperator<T>
    {
        if (TFirst.Vectorizable && TSecond.Vectorizable
            && KernelDispatch.UseVector256<T>() && x.Length >= Vector256<T>.Count)
        {
            return AggregatePairVector256<T, TFirst, TSecond>(x);
        }

        return AggregatePairScalar<T, TFirst, TSecond>(x);
    }

    /// <summary>The scalar twin of <see cref="AggregatePair{T, TFirst, TSecond}"/>.</summary>
    public static (T First, T Second) AggregatePairScalar<T, TFirst, TSecond>(ReadOnlySpan<T> x)
        where TFirst : IAggregationOperator<T>
        where TSecond : IAggregationOperator<T>
    {
        T first = TFirst.IdentityValue;
        T second = TSecond.IdentityValue;
        foreach (T value in x)
        {
            first = TFirst.Invoke(first, value);
            second = TSecond.Invoke(second, value);
        }

        return (first, second);
    }

    private static (T First, T Second) AggregatePairVector256<T, TFirst, TSecond>(ReadOnlySpan<T> x)
        where TFirst : IAggregationOperator<T>
        where TSecond : IAggregationOperator<T>
    {
        ref T xRef = ref MemoryMarshal.GetReference(x);
        nuint length = (nuint)x.Length;
        nuint count = (nuint)Vector256<T>.Count;
        Vector256<T> firstIdentity = Vector256.Create(TFirst.IdentityValue);
        Vector256<T> secondIdentity = Vector256.Create(TSecond.IdentityValue);
        Vector256<T> first0 = firstIdentity, first1 = firstIdentity;
        Vector256<T> second0 = secondIdentity, second1 = secondIdentity;

        nuint i = 0;
        for (; i + 2 * count <= length; i += 2 * count)
        {
            Vector256<T> v0 = Vector256.LoadUnsafe(ref xRef, i);
            Vector256<T> v1 = Vector256.LoadUnsafe(ref xRef, i + count);
            first0 = TFirst.Invoke(first0, v0);
            second0 = TSecond.Invoke(second0, v0);
            first1 = TFirst.Invoke(first1, v1);
            second1 = TSecond.Invoke(second1, v1);
        }

        if (i + count <= length)
        {
            Vector256<T> v = Vector256.LoadUnsafe(ref xRef, i);
            first0 = TFirst.Invoke(first0, v);
            second0 = TSecond.Invoke(second0, v);
            i += count;
        }

        if (i != length)
        {
            Vector256<T> last = Vector256.LoadUnsafe(ref xRef, length - count);
            Vector256<T> keep = LastLanesMask<T>((int)(length - i));
            first1 = TFirst.Invoke(first1, Vector256.ConditionalSelect(keep, last, firstIdentity));
            second1 = TSecond.Invoke(second1, Vector256.ConditionalSelect(keep, last, secondIdentity));
        }

        return (TFirst.Invoke(TFirst.Invoke(first0, first1)), TSecond.Invoke(TSecond.Invoke(second0, second1)));
    }
}
