using TraceQuery.Analysis;
using TraceQuery.Filtering;
using TraceQuery.Formats;
using TraceQuery.Model;

namespace TraceQuery.Fleet;

/// <summary>
/// Analyses every trace of a <see cref="TraceSet"/>, <see cref="FleetOptions.MaxDegreeOfParallelism"/> at a time, keeping
/// only a <see cref="TraceDigest"/> of each (memory: that many traces at once, plus the digests), then answers across the
/// set: findings grouped by culprit, the hot functions whose p95 differs most between traces, and the traces that stand
/// out by errors or duration. A trace that cannot be read is a failed run, not an error of the whole answer. The result
/// does not depend on the degree of parallelism.
/// </summary>
public static class FleetAnalyzer
{
    /// <summary>Analyses <paramref name="set"/>. O(events) per trace.</summary>
    /// <exception cref="FilterSyntaxException">The filter is malformed (before any trace is opened).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static FleetReport Analyze(TraceSet set, FleetOptions? options = null, Analyzer? analyzer = null, IProgress<TraceDigest>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        options ??= FleetOptions.Default;
        options.Validate();
        var filter = string.IsNullOrWhiteSpace(options.Filter) ? null : EventFilter.Parse(options.Filter);
        if (filter?.Root is AllNode)
            filter = null;
        analyzer ??= new Analyzer();
        // One trace per core: each analysis runs on one thread, so the fleet does not oversubscribe the machine.
        var single = new Analyzer(analyzer.Options with { MaxDegreeOfParallelism = 1 });
        var digests = new TraceDigest[set.Count];
        Parallel.For(0, set.Count, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken }, i =>
        {
            digests[i] = Digest(set.Entries[i], filter, options.MaxDegreeOfParallelism == 1 ? analyzer : single, cancellationToken);
            progress?.Report(digests[i]);
        });
        return new FleetReport(digests, Groups(digests), Spreads(digests, options), Outliers(digests), filter?.Canonical)
        {
            SampledSpreads = SampledSpreads(digests, options),
        };
    }

    private static TraceDigest Digest(TraceSetEntry entry, EventFilter? filter, Analyzer analyzer, CancellationToken cancellationToken)
    {
        ExecutionTrace trace;
        try
        {
            trace = TraceSet.Open(entry);
        }
        catch (Exception e) when (e is TraceFormatException or IOException or UnauthorizedAccessException)
        {
            return new TraceDigest(entry.Name, 0, 0, 0, 0, 0, 0, [], [], ReadError(entry, e));
        }
        using (trace)
        {
            var selection = filter?.Evaluate(trace);
            var analysis = analyzer.Analyze(trace, selection, cancellationToken);
            long errors = 0;
            var kinds = trace.Kinds;
            for (int e = 0; e < kinds.Length; e++)
            {
                if (kinds[e] == (byte)EventKind.Exception && (selection is null || selection.Contains(e)))
                    errors++;
            }
            var findings = analysis.Findings
                .Select(f => new FleetFinding(entry.Name, f, f.FunctionId is { } id ? trace.Symbols.GetName(id) : SampledProfile.SampledLeaf(f, trace), f.FunctionId is { } m ? trace.Symbols.GetModuleName(m) : null))
                .ToList();
            SampledDigest? sampled = null;
            if (trace.Samples.Count > 0)
                sampled = SampledDigest.Of(SampledProfile.Compute(trace, null, filter is null ? null : SampleFilter.Evaluate(filter, trace)));
            return new TraceDigest(entry.Name, trace.EventCount, selection?.Count ?? trace.EventCount, trace.Threads.Count, analysis.SpansAnalyzed,
                trace.TimeEndNs - trace.TimeStartNs, errors, findings, analysis.Functions, null)
            { Sampled = sampled };
        }
    }

    /// <summary>The reader's complaint without the machine's paths: the file inside the trace, the byte offset, the problem.</summary>
    private static string ReadError(TraceSetEntry entry, Exception e)
    {
        if (e is not TraceFormatException format)
            return e.GetType().Name;
        string inner = format.Path.StartsWith(entry.Path, StringComparison.Ordinal) && format.Path.Length > entry.Path.Length
            ? format.Path[(entry.Path.Length + 1)..].Replace('\\', '/') + " "
            : "";
        return inner + (format.Offset is { } offset ? $"at byte {offset}: " : "") + format.Problem;
    }

    private static List<FailureGroup> Groups(TraceDigest[] digests)
    {
        var groups = new Dictionary<string, (List<string> Traces, FleetFinding First, Severity Severity)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var digest in digests)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var f in digest.Findings)
            {
                string key = AnswerWords.Of(f.Finding.Kind) + "\u0001" + (f.Function is null ? f.Finding.Title : f.Module + "\u0001" + f.Function);
                if (!seen.Add(key))
                    continue;
                if (groups.TryGetValue(key, out var group))
                {
                    group.Traces.Add(digest.Name);
                    if (f.Finding.Severity < group.Severity)
                        groups[key] = group with { Severity = f.Finding.Severity };
                }
                else
                {
                    groups[key] = ([digest.Name], f, f.Finding.Severity);
                    order.Add(key);
                }
            }
        }
        var result = order.Select(k => groups[k])
            .Select(g => new FailureGroup(g.First.Finding.Kind, g.Severity, g.First.Function, g.First.Module, g.Traces, g.First))
            .ToList();
        result.Sort((a, b) =>
        {
            int c = a.Severity.CompareTo(b.Severity);
            if (c == 0)
                c = b.Traces.Count.CompareTo(a.Traces.Count);
            if (c == 0)
                c = a.Kind.CompareTo(b.Kind);
            if (c == 0)
                c = string.CompareOrdinal(a.Function ?? a.First.Finding.Title, b.Function ?? b.First.Finding.Title);
            return c != 0 ? c : string.CompareOrdinal(a.Module, b.Module);
        });
        return result;
    }

    private static List<FunctionSpread> Spreads(TraceDigest[] digests, FleetOptions options)
    {
        var byFunction = new SortedDictionary<string, List<(int Trace, FunctionStats Stats)>>(StringComparer.Ordinal);
        for (int t = 0; t < digests.Length; t++)
        {
            foreach (var f in digests[t].Functions)
            {
                string key = f.Module + "\u0001" + f.Name;
                if (!byFunction.TryGetValue(key, out var list))
                    byFunction[key] = list = [];
                list.Add((t, f));
            }
        }
        var hot = byFunction
            .Select(p => (p.Value, Self: p.Value.Sum(x => x.Stats.SelfTotalNs)))
            .OrderByDescending(x => x.Self).ThenBy(x => x.Value[0].Stats.Module, StringComparer.Ordinal).ThenBy(x => x.Value[0].Stats.Name, StringComparer.Ordinal)
            .Take(options.HotFunctions);
        var result = new List<FunctionSpread>();
        foreach (var (calls, self) in hot)
        {
            var judged = calls.Where(x => x.Stats.Count >= options.MinCalls).ToList();
            if (judged.Count < 2)
                continue;
            var p95 = judged.Select(x => x.Stats.P95Ns).Order().ToList();
            var highest = judged.Aggregate((a, b) => b.Stats.P95Ns > a.Stats.P95Ns ? b : a);
            var lowest = judged.Aggregate((a, b) => b.Stats.P95Ns < a.Stats.P95Ns ? b : a);
            var f = highest.Stats;
            result.Add(new FunctionSpread(f.Name, f.Module, judged.Count, self, p95[(p95.Count - 1) / 2], f.P95Ns, digests[highest.Trace].Name,
                lowest.Stats.P95Ns, digests[lowest.Trace].Name, f.FunctionId));
        }
        result.Sort((a, b) =>
        {
            int c = b.Ratio.CompareTo(a.Ratio);
            if (c == 0)
                c = b.SelfTotalNs.CompareTo(a.SelfTotalNs);
            return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
        });
        return result;
    }

    /// <summary>
    /// The hottest sampled functions (by self share summed over the traces with enough CPU samples), each with its self
    /// share in every such trace (0 where never sampled): median, highest and lowest; the largest excess over the median first.
    /// </summary>
    private static List<SampledSpread> SampledSpreads(TraceDigest[] digests, FleetOptions options)
    {
        var judged = new List<(int Trace, SampledDigest Sampled)>();
        for (int t = 0; t < digests.Length; t++)
        {
            if (digests[t].Sampled is { } s && s.CpuSamples >= options.MinCpuSamples && s.CpuNs > 0)
                judged.Add((t, s));
        }
        var result = new List<SampledSpread>();
        if (judged.Count < 2)
            return result;
        // Per function name: its share in each judged trace (by position in `judged`), its self time, whether modules agree.
        var byName = new SortedDictionary<string, (double[] Shares, long SelfNs, string? Module, bool ModulesAgree, bool Seen, int SampledIn)>(StringComparer.Ordinal);
        for (int j = 0; j < judged.Count; j++)
        {
            var s = judged[j].Sampled;
            foreach (var f in s.Functions)
            {
                if (!byName.TryGetValue(f.Name, out var entry))
                    entry = (new double[judged.Count], 0, f.Module, true, false, 0);
                entry.Shares[j] = s.SelfShare(f);
                bool agree = entry.ModulesAgree && (!entry.Seen || string.Equals(entry.Module, f.Module, StringComparison.Ordinal));
                byName[f.Name] = (entry.Shares, entry.SelfNs + f.SelfNs, entry.Seen ? entry.Module : f.Module, agree, true, entry.SampledIn + 1);
            }
        }
        var hot = byName
            .Where(p => p.Value.SelfNs > 0)
            .Select(p => (Name: p.Key, p.Value, Sum: p.Value.Shares.Sum()))
            .OrderByDescending(x => x.Sum).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(options.HotFunctions);
        foreach (var (name, v, _) in hot)
        {
            var sorted = v.Shares.Order().ToArray();
            int highest = 0, lowest = 0;
            for (int j = 1; j < v.Shares.Length; j++)
            {
                if (v.Shares[j] > v.Shares[highest])
                    highest = j;
                if (v.Shares[j] < v.Shares[lowest])
                    lowest = j;
            }
            var top = judged[highest];
            result.Add(new SampledSpread(name, v.ModulesAgree ? v.Module : null, judged.Count, v.SampledIn, v.SelfNs, sorted[(sorted.Length - 1) / 2],
                v.Shares[highest], digests[top.Trace].Name, v.Shares[lowest], digests[judged[lowest].Trace].Name,
                top.Sampled.LeafStacks.TryGetValue(name, out int stack) ? stack : -1));
        }
        result.Sort((a, b) =>
        {
            int c = b.Excess.CompareTo(a.Excess);
            if (c == 0)
                c = b.SelfNs.CompareTo(a.SelfNs);
            return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
        });
        return result;
    }

    private static List<TraceOutlier> Outliers(TraceDigest[] digests)
    {
        var readable = digests.Where(d => d.ReadError is null).ToList();
        var result = new List<TraceOutlier>();
        if (readable.Count < 3)
            return result;
        var (errorMedian, errorSpread) = MedianAndScaledMad(readable.Select(d => (double)d.Errors));
        var (durationMedian, durationSpread) = MedianAndScaledMad(readable.Select(d => (double)d.DurationNs));
        foreach (var d in readable)
        {
            if (d.Errors >= 2 * errorMedian && d.Errors >= errorMedian + Math.Max(3, 3 * errorSpread))
                result.Add(new TraceOutlier(d.Name, OutlierMetric.Errors, d.Errors, errorMedian));
            if (durationMedian > 0 && d.DurationNs >= 1.5 * durationMedian && d.DurationNs > durationMedian + (3 * durationSpread))
                result.Add(new TraceOutlier(d.Name, OutlierMetric.LongDuration, d.DurationNs, durationMedian));
            else if (durationMedian > 0 && d.DurationNs <= 0.5 * durationMedian && d.DurationNs < durationMedian - (3 * durationSpread))
                result.Add(new TraceOutlier(d.Name, OutlierMetric.ShortDuration, d.DurationNs, durationMedian));
        }
        static double Distance(TraceOutlier o) => o.Metric == OutlierMetric.Errors
            ? o.Value - o.Median
            : Math.Abs(Math.Log(Math.Max(1, o.Value) / o.Median));
        result.Sort((a, b) =>
        {
            int c = (a.Metric == OutlierMetric.Errors ? 0 : 1).CompareTo(b.Metric == OutlierMetric.Errors ? 0 : 1);
            if (c == 0)
                c = Distance(b).CompareTo(Distance(a));
            return c != 0 ? c : string.CompareOrdinal(a.Trace, b.Trace);
        });
        return result;
    }

    /// <summary>The lower median and 1.4826 × the median absolute deviation (a robust standard deviation).</summary>
    private static (double Median, double Spread) MedianAndScaledMad(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        double median = sorted[(sorted.Count - 1) / 2];
        var deviations = sorted.Select(v => Math.Abs(v - median)).Order().ToList();
        return (median, 1.4826 * deviations[(deviations.Count - 1) / 2]);
    }
}
