using System.Globalization;
using System.Text;
using TraceQuery.Model;

namespace TraceQuery.Analysis;

/// <summary>
/// Representative spans of a group of repeats folded into one line (a function's calls, a run of identical calls):
/// the fastest, the median, the p95, the p99 and the slowest by duration, as span ids that <c>events.get</c>
/// resolves (<c>span:&lt;id&gt;</c>). <see cref="Of"/> takes nearest ranks (<c>round(p·(n−1))</c> of the durations
/// sorted ascending, ties by span id); <see cref="ForFunctions"/> takes the spans nearest a function's statistics.
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
    /// raised in it) when one is given, as <see cref="Analyzer.Analyze"/> does. One pass over the spans, no per-span allocation.
    /// </summary>
    public static SpanExemplars?[] ForFunctions(ExecutionTrace trace, IReadOnlyList<FunctionStats> functions, Filtering.Selection? selection = null)
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
        const int Targets = 5;
        var targets = new double[functions.Count * Targets];
        var best = new int[functions.Count * Targets];
        var distance = new double[functions.Count * Targets];
        for (int i = 0; i < functions.Count; i++)
        {
            var f = functions[i];
            (targets[i * Targets], targets[(i * Targets) + 1], targets[(i * Targets) + 2], targets[(i * Targets) + 3], targets[(i * Targets) + 4]) =
                (f.MinNs, f.P50Ns, f.P95Ns, f.P99Ns, f.MaxNs);
        }
        Array.Fill(best, -1);
        Array.Fill(distance, double.PositiveInfinity);
        // One pass over the cached span columns: extremes by equality, percentiles by distance.
        var durations = spans.Durations;
        var spanOrdinals = spans.FunctionOrdinals;
        for (int s = 0; s < durations.Length; s++)
        {
            int slot = slotOf[spanOrdinals[s]];
            if (slot < 0 || (touched is not null && !touched[s]))
                continue;
            long duration = durations[s];
            int k = slot * Targets;
            // Durations below 2^53 ns (104 days) are exact as doubles.
            if (best[k] < 0 && duration == targets[k])
                best[k] = s;
            if (best[k + 4] < 0 && duration == targets[k + 4])
                best[k + 4] = s;
            for (int j = k + 1; j < k + 4; j++)
            {
                double d = Math.Abs(duration - targets[j]);
                if (d < distance[j])
                    (distance[j], best[j]) = (d, s);
            }
        }
        for (int i = 0; i < functions.Count; i++)
        {
            int k = i * Targets;
            if (best[k] >= 0 && best[k + 4] >= 0)
                result[i] = new SpanExemplars(functions[i].Count, best[k], best[k + 1], best[k + 2], best[k + 3], best[k + 4]);
        }
        return result;
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
