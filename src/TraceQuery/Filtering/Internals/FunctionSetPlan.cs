using TraceQuery.Vectorized;

namespace TraceQuery.Filtering.Internals;

/// <summary>Events whose function ordinal is in a set: vector compares for small sets, a dense lookup table otherwise.</summary>
internal sealed class FunctionSetPlan : FilterPlan
{
    private readonly int[] _members;
    private readonly bool[]? _lookup;

    public FunctionSetPlan(bool[] membership)
    {
        var members = new List<int>();
        for (int i = 0; i < membership.Length; i++)
        {
            if (membership[i])
                members.Add(i);
        }
        _members = [.. members];
        Membership = membership;
        _lookup = _members.Length > OrdinalInSetOperator.MaxMembers ? membership : null;
    }

    /// <summary>Per function ordinal, whether it is in the set.</summary>
    public bool[] Membership { get; }

    /// <summary>
    /// One set for two sets joined by <c>or</c> (<paramref name="union"/>) or <c>and</c>: a name disjunction such as
    /// <c>fn:*alloc* or fn:*free*</c> becomes one pass over the ordinals instead of two scans and a bitmap merge.
    /// </summary>
    public static FilterPlan Merge(FunctionSetPlan a, FunctionSetPlan b, bool union)
    {
        var membership = new bool[a.Membership.Length];
        int members = 0;
        for (int i = 0; i < membership.Length; i++)
        {
            membership[i] = union ? a.Membership[i] || b.Membership[i] : a.Membership[i] && b.Membership[i];
            members += membership[i] ? 1 : 0;
        }
        if (members == 0)
            return new ConstantPlan(false);
        return members == membership.Length ? new ConstantPlan(true) : new FunctionSetPlan(membership);
    }

    public int MemberCount => _members.Length;

    public override void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination)
    {
        if (_lookup is null)
        {
            BitmapKernels.Scan(context.Ordinals, firstWord, destination, new OrdinalInSetOperator(_members));
            return;
        }
        // The table lookup stays scalar (AVX2 gathers only 32- and 64-bit elements): one branch-free pass.
        for (int w = 0; w < destination.Length; w++)
            destination[w] = LookupWord(context.Ordinals, _lookup, (firstWord + w) << 6);
    }

    private static ulong LookupWord(ReadOnlySpan<int> ordinals, bool[] lookup, int start)
    {
        int count = Math.Min(64, ordinals.Length - start);
        ulong bits = 0;
        for (int j = 0; j < count; j++)
            bits |= (lookup[ordinals[start + j]] ? 1UL : 0UL) << j;
        return bits;
    }

    /// <summary>Vector compares cost about one per member per vector of ordinals; the table lookup is scalar.</summary>
    public override int Cost => _lookup is null ? 4 + _members.Length : 16;

    public override void Narrow(in EvaluationContext context, int firstWord, Span<ulong> destination)
    {
        if (_lookup is null)
        {
            BitmapKernels.ScanAnd(context.Ordinals, firstWord, destination, new OrdinalInSetOperator(_members));
            return;
        }
        for (int w = 0; w < destination.Length; w++)
        {
            if (destination[w] != 0)
                destination[w] &= LookupWord(context.Ordinals, _lookup, (firstWord + w) << 6);
        }
    }
}
