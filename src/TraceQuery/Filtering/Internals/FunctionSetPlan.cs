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
        _lookup = _members.Length > OrdinalInSetOperator.MaxMembers ? membership : null;
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
        var ordinals = context.Ordinals;
        var lookup = _lookup;
        for (int w = 0; w < destination.Length; w++)
        {
            int start = (firstWord + w) << 6;
            int count = Math.Min(64, ordinals.Length - start);
            ulong bits = 0;
            for (int j = 0; j < count; j++)
                bits |= (lookup[ordinals[start + j]] ? 1UL : 0UL) << j;
            destination[w] = bits;
        }
    }
}
