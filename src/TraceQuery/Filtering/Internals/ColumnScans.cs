using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TraceQuery.Filtering.Internals;

/// <summary>A predicate over one column value, as a scalar test and as all-ones/zero lanes of a vector.</summary>
internal interface IColumnPredicate<T>
    where T : unmanaged
{
    bool Invoke(T value);

    Vector256<T> Invoke(Vector256<T> values);
}

/// <summary>
/// Drivers that turn a column predicate into bitmap words: 64 events per word, vector bodies over full
/// words, a scalar loop for the last partial word, and a scalar twin used when vectors are not
/// accelerated (or when a test forces it).
/// </summary>
internal static class ColumnScans
{
    /// <summary>Fills <paramref name="destination"/> with the words <c>[firstWord, firstWord + destination.Length)</c>.</summary>
    public static void Scan<T, TPredicate>(ReadOnlySpan<T> column, int firstWord, Span<ulong> destination, TPredicate predicate, bool forceScalar)
        where T : unmanaged
        where TPredicate : struct, IColumnPredicate<T>
    {
        int n = column.Length;
        int perVector = Vector256<T>.Count;
        bool vector = !forceScalar && Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported;
        ref T origin = ref MemoryMarshal.GetReference(column);
        for (int w = 0; w < destination.Length; w++)
        {
            int start = (firstWord + w) << 6;
            if (vector && start + 64 <= n)
            {
                ulong bits = 0;
                for (int k = 0; k < 64; k += perVector)
                {
                    var values = Vector256.LoadUnsafe(ref origin, (nuint)(start + k));
                    bits |= (ulong)predicate.Invoke(values).ExtractMostSignificantBits() << k;
                }
                destination[w] = bits;
            }
            else
            {
                destination[w] = ScanWordScalar(ref origin, start, Math.Min(64, n - start), predicate);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ScanWordScalar<T, TPredicate>(ref T origin, int start, int count, TPredicate predicate)
        where T : unmanaged
        where TPredicate : struct, IColumnPredicate<T>
    {
        ulong bits = 0;
        for (int j = 0; j < count; j++)
        {
            if (predicate.Invoke(Unsafe.Add(ref origin, start + j)))
                bits |= 1UL << j;
        }
        return bits;
    }

    /// <summary>Sets the bits of events <c>[from, to)</c> in words that start at event <c>firstWord * 64</c>.</summary>
    public static void SetRange(Span<ulong> words, int firstWord, int from, int to)
    {
        int baseEvent = firstWord << 6;
        from = Math.Max(from, baseEvent);
        to = Math.Min(to, baseEvent + (words.Length << 6));
        if (from >= to)
            return;
        from -= baseEvent;
        to -= baseEvent;
        int firstFull = from >> 6, last = (to - 1) >> 6;
        ulong headMask = ulong.MaxValue << from;
        ulong tailMask = ulong.MaxValue >> (63 - ((to - 1) & 63));
        if (firstFull == last)
        {
            words[firstFull] |= headMask & tailMask;
            return;
        }
        words[firstFull] |= headMask;
        words.Slice(firstFull + 1, last - firstFull - 1).Fill(ulong.MaxValue);
        words[last] |= tailMask;
    }
}

/// <summary><c>value ∈ {a, b, c}</c> for kinds (a mask of at most three byte values).</summary>
internal readonly struct KindPredicate(byte a, byte b, byte c) : IColumnPredicate<byte>
{
    public bool Invoke(byte value) => value == a || value == b || value == c;

    public Vector256<byte> Invoke(Vector256<byte> values) =>
        Vector256.Equals(values, Vector256.Create(a)) | Vector256.Equals(values, Vector256.Create(b)) | Vector256.Equals(values, Vector256.Create(c));
}

/// <summary><c>value op constant</c> over a <c>uint</c> column (depths).</summary>
internal readonly struct CompareUInt32Predicate(ComparisonOperator op, uint constant) : IColumnPredicate<uint>
{
    public bool Invoke(uint value) => op switch
    {
        ComparisonOperator.Equal => value == constant,
        ComparisonOperator.NotEqual => value != constant,
        ComparisonOperator.Less => value < constant,
        ComparisonOperator.LessOrEqual => value <= constant,
        ComparisonOperator.Greater => value > constant,
        _ => value >= constant,
    };

    public Vector256<uint> Invoke(Vector256<uint> values)
    {
        var c = Vector256.Create(constant);
        return op switch
        {
            ComparisonOperator.Equal => Vector256.Equals(values, c),
            ComparisonOperator.NotEqual => ~Vector256.Equals(values, c),
            ComparisonOperator.Less => Vector256.LessThan(values, c),
            ComparisonOperator.LessOrEqual => Vector256.LessThanOrEqual(values, c),
            ComparisonOperator.Greater => Vector256.GreaterThan(values, c),
            _ => Vector256.GreaterThanOrEqual(values, c),
        };
    }
}

/// <summary><c>value ∈ set</c> over function ordinals for sets of up to <see cref="MaxMembers"/> members, by vector compares.</summary>
internal readonly struct MemberSetPredicate(int[] members) : IColumnPredicate<int>
{
    public const int MaxMembers = 16;

    public bool Invoke(int value)
    {
        foreach (int m in members)
        {
            if (m == value)
                return true;
        }
        return false;
    }

    public Vector256<int> Invoke(Vector256<int> values)
    {
        var result = Vector256<int>.Zero;
        foreach (int m in members)
            result |= Vector256.Equals(values, Vector256.Create(m));
        return result;
    }
}
