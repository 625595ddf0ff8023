using System.Globalization;
using System.Text;
using TraceQuery.Model;

namespace TraceQuery.Analysis;

/// <summary>
/// Representative spans of a group of repeats folded into one line (a function's calls, a run of identical calls):
/// the fastest, the median, the p95, the p99 and the slowest by duration, as span ids that <c>events.get</c>
/// resolves (<c>span:&lt;id&gt;</c>). <see cref="Of"/> takes nearest ranks (<c>round(p·(n−1))</c> of the durations
/// sorted ascending, ties by span id); <see cref="ForFunctions(ExecutionTrace, IReadOnlyList{FunctionStats}, Filtering.Selection?)"/> takes the spans nearest a function's statistics.
/// Every exemplar is a real span.
/// </summary>
/// <param name="Count">Spans in the group.</param>
/// <param name="Fastest">Span with the shortest duration.</param>
/// <param name="Median">Span at the median rank.</param>
/// <param name="P95">Span at the 95th percentile rank.</param>
/// <param name="P99">Span at the 99th percentile rank.</param>
/// <param name="Slowest">Span with the longest duration.</param>
public readonly record struct SpanExemplars(long Count, int Fastest, int Median, int P95, int P99, int Slowest)
{
    /// <summary>
    /// Picks the exemplars of <paramref name="spanIds"/> (any order, no duplicates) in <paramref name="trace"/>.
    /// O(n) expected (three selections over a copy of the keys); null for an empty group.
    /// </summary>
    public static SpanExemplars? Of(ExecutionTrace trace, ReadOnlySpan<int> spanIds)
    {
        ArgumentNullException.ThrowIfNull(trace);
        if (spanIds.Length == 0)
            return null;
        var spans = trace.Spans;
        // Keys sort by duration, then span id: (duration, id) packed into one Int128 so a selection needs no comparer.
        var keys = new Int128[spanIds.Length];
        for (int i = 0; i < keys.Length; i++)
            keys[i] = ((Int128)spans.GetDuration(spanIds[i]) << 32) | (uint)spanIds[i];
        int n = keys.Length;
        int Rank(double p) => (int)Math.Round(p * (n - 1), MidpointRounding.AwayFromZero);
        int At(int rank) => (int)(uint)(Select(keys, rank) & uint.MaxValue);
        int slowest = At(n - 1), p99 = At(Rank(0.99)), p95 = At(Rank(0.95)), median = At(Rank(0.5)), fastest = At(0);
        return new SpanExemplars(n, fastest, median, p95, p99, slowest);
    }

    /// <summary>
    /// Exemplars of each function's spans for the statistics in <paramref name="functions"/>: the first span (lowest id)
    /// with the function's minimum and maximum duration, and for the median, p95 and p99 the first span whose duration is
    /// nearest the statistic. Counts only the spans <paramref name="selection"/> touches (its CALL, RETURN or an exception
    /// raised in it) when one is given, as <see cref="Analyzer.Analyze"/> does. One pass over the spans (large traces: ranges of
    /// spans in parallel, joined so the answer does not depend on the split), no per-span allocation.
    /// </summary>
    public static SpanExemplars?[] ForFunctions(ExecutionTrace trace, IReadOnlyList<FunctionStats> functions, Filtering.Selection? selection = null) =>
        ForFunctions(trace, functions, selection, ranges: 0);

    /// <summary>
    /// <see cref="ForFunctions(ExecutionTrace, IReadOnlyList{FunctionStats}, Filtering.Selection?)"/> over <paramref name="ranges"/>
    /// ranges of spans in parallel (0: one per <see cref="ExemplarRange"/> spans, at most two per core; tests force more).
    /// </summary>
    internal static SpanExemplars?[] ForFunctions(ExecutionTrace trace, IReadOnlyList<FunctionStats> functions, Filtering.Selection? selection, int ranges)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(functions);
        var result = new SpanExemplars?[functions.Count];
        if (functions.Count == 0)
            return result;
        var slotOf = new int[trace.FunctionIds.Length];
        Array.Fill(slotOf, -1);
        for (int i = 0; i < functions.Count; i++)
            slotOf[functions[i].Ordinal] = i;
        var spans = trace.Spans;
        bool[]? touched = null;
        if (selection is not null)
        {
            touched = new bool[spans.Count];
            var spanOfEvent = spans.SpanOfEvent;
            foreach (int e in selection.Indices())
            {
                if (spanOfEvent[e] >= 0)
                    touched[spanOfEvent[e]] = true;
            }
        }
        var targets = new Candidates[functions.Count];
        for (int i = 0; i < functions.Count; i++)
        {
            var f = functions[i];
            targets[i] = new Candidates
            {
                Min = f.MinNs,
                P50 = f.P50Ns,
                P95 = f.P95Ns,
                P99 = f.P99Ns,
                Max = f.MaxNs,
                BestMin = -1,
                Best50 = -1,
                Best95 = -1,
                Best99 = -1,
                BestMax = -1,
                Distance50 = double.PositiveInfinity,
                Distance95 = double.PositiveInfinity,
                Distance99 = double.PositiveInfinity,
            };
        }
        // Ranges of spans in parallel, each with its own candidates, joined in span order: a later range's candidate
        // replaces an earlier one's only when strictly nearer, so the result is the one pass's (first span wins ties).
        // The cached span columns, held here for the ranges (the trace holds them only weakly).
        var durations = spans.DurationColumn();
        var ordinals = spans.FunctionOrdinalColumn();
        if (ranges <= 0)
            ranges = Math.Clamp(spans.Count / ExemplarRange, 1, Math.Max(2, Environment.ProcessorCount * 2));
        ranges = Math.Clamp(ranges, 1, Math.Max(1, spans.Count));
        var found = new Candidates[ranges][];
        void Scan(int r)
        {
            int from = (int)((long)spans.Count * r / ranges), to = (int)((long)spans.Count * (r + 1) / ranges);
            found[r] = (Candidates[])targets.Clone();
            Nearest(durations, ordinals, from, to, slotOf, touched, found[r]);
        }
        if (ranges > 1)
            Parallel.For(0, ranges, Scan);
        else
            Scan(0);
        var best = found[0];
        for (int r = 1; r < ranges; r++)
        {
            for (int i = 0; i < best.Length; i++)
                best[i].Join(found[r][i]);
        }
        for (int i = 0; i < functions.Count; i++)
        {
            ref var c = ref best[i];
            if (c.BestMin >= 0 && c.BestMax >= 0)
                result[i] = new SpanExemplars(functions[i].Count, c.BestMin, c.Best50, c.Best95, c.Best99, c.BestMax);
        }
        return result;
    }

    /// <summary>Spans per range scanned in parallel by <c>ForFunctions</c> on large traces.</summary>
    private const int ExemplarRange = 1 << 19;

    /// <summary>
    /// Spans <c>[from, to)</c>'s candidates, written into <paramref name="candidates"/> (one per function slot): the first
    /// span equal to a function's minimum or maximum, and the first span nearest each percentile.
    /// </summary>
    private static void Nearest(long[] durations, int[] spanOrdinals, int from, int to, int[] slotOf, bool[]? touched, Candidates[] candidates)
    {
        // One pass over the cached span columns: extremes by equality, percentiles by distance.
        for (int s = from; s < to; s++)
        {
            int slot = slotOf[spanOrdinals[s]];
            if (slot < 0 || (touched is not null && !touched[s]))
                continue;
            // Durations below 2^53 ns (104 days) are exact as doubles.
            double duration = durations[s];
            ref var c = ref candidates[slot];
            if (c.BestMin < 0 && duration == c.Min)
                c.BestMin = s;
            if (c.BestMax < 0 && duration == c.Max)
                c.BestMax = s;
            double d = Math.Abs(duration - c.P50);
            if (d < c.Distance50)
                (c.Distance50, c.Best50) = (d, s);
            d = Math.Abs(duration - c.P95);
            if (d < c.Distance95)
                (c.Distance95, c.Best95) = (d, s);
            d = Math.Abs(duration - c.P99);
            if (d < c.Distance99)
                (c.Distance99, c.Best99) = (d, s);
        }
    }

    /// <summary>One function's targets (its statistics) and the spans found nearest them so far (-1: none yet).</summary>
    private struct Candidates
    {
        public double Min, P50, P95, P99, Max;
        public int BestMin, Best50, Best95, Best99, BestMax;
        public double Distance50, Distance95, Distance99;

        /// <summary>Takes a later range's candidates where they win: an extreme only when none was found, a percentile when strictly nearer.</summary>
        public void Join(in Candidates later)
        {
            if (BestMin < 0)
                BestMin = later.BestMin;
            if (BestMax < 0)
                BestMax = later.BestMax;
            if (later.Distance50 < Distance50)
                (Distance50, Best50) = (later.Distance50, later.Best50);
            if (later.Distance95 < Distance95)
                (Distance95, Best95) = (later.Distance95, later.Best95);
            if (later.Distance99 < Distance99)
                (Distance99, Best99) = (later.Distance99, later.Best99);
        }
    }

    /// <summary>
    /// The compact text form used in summaries: <c>fastest span:3 · median span:9 · p95 span:12 · p99 span:12 · slowest span:40</c>,
    /// with labels that name the same span merged (<c>p95/p99/slowest span:12</c>) and a single span as <c>span:3</c>.
    /// </summary>
    public override string ToString()
    {
        if (Count == 1)
            return "span:" + Fastest.ToString(CultureInfo.InvariantCulture);
        (string Label, int Span)[] labelled = [("fastest", Fastest), ("median", Median), ("p95", P95), ("p99", P99), ("slowest", Slowest)];
        var text = new StringBuilder();
        for (int i = 0; i < labelled.Length; i++)
        {
            if (i > 0 && labelled[i].Span == labelled[i - 1].Span)
                continue;
            int last = i;
            while (last + 1 < labelled.Length && labelled[last + 1].Span == labelled[i].Span)
                last++;
            if (text.Length > 0)
                text.Append(" · ");
            for (int j = i; j <= last; j++)
                text.Append(j > i ? "/" : "").Append(labelled[j].Label);
            text.Append(" span:").Append(labelled[i].Span.ToString(CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    /// <summary>The five references in order fastest, median, p95, p99, slowest (repeats kept).</summary>
    public IReadOnlyList<EvidenceRef> ToEvidence() =>
        [EvidenceRef.ForSpan(Fastest), EvidenceRef.ForSpan(Median), EvidenceRef.ForSpan(P95), EvidenceRef.ForSpan(P99), EvidenceRef.ForSpan(Slowest)];

    /// <summary>Quickselect (Hoare partition, middle pivot): the <paramref name="k"/>-th smallest; leaves smaller keys before it.</summary>
    private static Int128 Select(Int128[] keys, int k)
    {
        int lo = 0, hi = keys.Length - 1;
        while (lo < hi)
        {
            var pivot = keys[lo + ((hi - lo) >> 1)];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (keys[i] < pivot)
                    i++;
                while (keys[j] > pivot)
                    j--;
                if (i <= j)
                {
                    (keys[i], keys[j]) = (keys[j], keys[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j)
                hi = j;
            else if (k >= i)
                lo = i;
            else
                return keys[k];
        }
        return keys[k];
    }
}
