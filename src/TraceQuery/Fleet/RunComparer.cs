using TraceQuery.Analysis;
using TraceQuery.Model;

namespace TraceQuery.Fleet;

/// <summary>
/// Compares two runs (a baseline and a candidate trace): per function, count, p50, p95 and self time, kept only when a
/// change passes both a relative and an absolute threshold and enough calls back it (<see cref="RunDiffOptions"/>);
/// functions that appear or vanish; errors (EXCEPTION events by function and message) and findings that are new or gone.
/// Functions are matched by name and module, not id, so runs of different builds compare. Runs with stack samples are
/// compared on them too: each sampled function's share of its run's sampled CPU, self and total (<see cref="RunDiff.SampledChanges"/>).
/// Deterministic.
/// </summary>
public static class RunComparer
{
    /// <summary>Compares <paramref name="candidate"/> against <paramref name="baseline"/>. O(events + spans) per run, one analysis each.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A threshold is out of range.</exception>
    public static RunDiff Compare(ExecutionTrace baseline, ExecutionTrace candidate, RunDiffOptions? options = null, Analyzer? analyzer = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        options ??= RunDiffOptions.Default;
        options.Validate();
        analyzer ??= new Analyzer();
        var before = analyzer.Analyze(baseline, null, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var after = analyzer.Analyze(candidate, null, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();

        var baseFunctions = ByName(before.Functions);
        var candidateFunctions = ByName(after.Functions);
        var changed = new List<FunctionChange>();
        var unchanged = new List<FunctionChange>();
        var notJudged = new List<FunctionChange>();
        var vanished = new List<FunctionChange>();
        foreach (var (key, b) in baseFunctions)
        {
            if (!candidateFunctions.TryGetValue(key, out var c))
            {
                vanished.Add(new FunctionChange(b.Name, b.Module, b, null, []));
                continue;
            }
            var changes = Changes(b, c, options);
            var change = new FunctionChange(b.Name, b.Module, b, c, changes);
            if (changes.Count > 0)
                changed.Add(change);
            else if (Math.Min(b.Count, c.Count) >= options.MinCalls)
                unchanged.Add(change);
            else
                notJudged.Add(change);
        }
        var appeared = candidateFunctions.Where(p => !baseFunctions.ContainsKey(p.Key))
            .Select(p => new FunctionChange(p.Value.Name, p.Value.Module, null, p.Value, [])).ToList();

        changed.Sort((x, y) =>
        {
            int c = y.ImpactNs.CompareTo(x.ImpactNs);
            return c != 0 ? c : CompareNames(x, y);
        });
        appeared.Sort((x, y) => y.Candidate!.Count != x.Candidate!.Count ? y.Candidate.Count.CompareTo(x.Candidate.Count) : CompareNames(x, y));
        vanished.Sort((x, y) => y.Baseline!.Count != x.Baseline!.Count ? y.Baseline.Count.CompareTo(x.Baseline.Count) : CompareNames(x, y));
        unchanged.Sort(CompareNames);
        notJudged.Sort(CompareNames);

        var errors = ErrorChanges(ErrorGroups(baseline), ErrorGroups(candidate), options);
        var newFindings = Unmatched(after.Findings, candidate, before.Findings, baseline);
        var goneFindings = Unmatched(before.Findings, baseline, after.Findings, candidate);
        var baseSampled = baseline.Samples.Count > 0 ? SampledDigest.Of(SampledProfile.Shared(baseline, cancellationToken)) : null;
        var candidateSampled = candidate.Samples.Count > 0 ? SampledDigest.Of(SampledProfile.Shared(candidate, cancellationToken)) : null;
        return new RunDiff(Facts(baseline, before, baseSampled), Facts(candidate, after, candidateSampled), changed, appeared, vanished, unchanged, notJudged, errors, newFindings, goneFindings)
        {
            SampledChanges = SampledChanges(baseSampled, candidateSampled, options),
        };
    }

    private static int CompareNames(FunctionChange x, FunctionChange y)
    {
        int c = string.CompareOrdinal(x.Name, y.Name);
        return c != 0 ? c : string.CompareOrdinal(x.Module, y.Module);
    }

    private static RunFacts Facts(ExecutionTrace trace, AnalysisResult analysis, SampledDigest? sampled)
    {
        long errors = 0;
        foreach (byte kind in trace.Kinds)
            errors += kind == (byte)EventKind.Exception ? 1 : 0;
        return new RunFacts(trace.EventCount, analysis.TotalSpans, trace.Threads.Count, trace.TimeEndNs - trace.TimeStartNs, errors)
        {
            CpuSamples = sampled?.CpuSamples ?? 0,
            SampledCpuNs = sampled?.CpuNs ?? 0,
        };
    }

    /// <summary>
    /// Sampled functions (by name and module) whose self or total share of their run's sampled CPU moved by at least
    /// <see cref="RunDiffOptions.MinSampledShareChange"/> and by <see cref="RunDiffOptions.MinRelativeChange"/> of the
    /// baseline share; a function sampled in one run only has share 0 in the other. Largest move first.
    /// </summary>
    private static List<SampledChange> SampledChanges(SampledDigest? before, SampledDigest? after, RunDiffOptions options)
    {
        var result = new List<SampledChange>();
        if (before is null || after is null || before.CpuSamples < options.MinCpuSamples || after.CpuSamples < options.MinCpuSamples || before.CpuNs <= 0 || after.CpuNs <= 0)
            return result;
        static string Key(SampledFunction f) => f.Module + "\u0001" + f.Name;
        var baseByKey = new SortedDictionary<string, SampledFunction>(StringComparer.Ordinal);
        foreach (var f in before.Functions)
            baseByKey[Key(f)] = f;
        var candidateByKey = new SortedDictionary<string, SampledFunction>(StringComparer.Ordinal);
        foreach (var f in after.Functions)
            candidateByKey[Key(f)] = f;
        var keys = new SortedSet<string>(baseByKey.Keys, StringComparer.Ordinal);
        keys.UnionWith(candidateByKey.Keys);
        foreach (string key in keys)
        {
            var b = baseByKey.GetValueOrDefault(key);
            var c = candidateByKey.GetValueOrDefault(key);
            double bSelf = b is null ? 0 : before.SelfShare(b), cSelf = c is null ? 0 : after.SelfShare(c);
            double bTotal = b is null ? 0 : before.TotalShare(b), cTotal = c is null ? 0 : after.TotalShare(c);
            if (!Moved(bSelf, cSelf, options) && !Moved(bTotal, cTotal, options))
                continue;
            var named = (c ?? b)!;
            var change = new SampledChange(named.Name, named.Module, b, c, bSelf, cSelf, bTotal, cTotal, -1);
            var stackOwner = change.StackInCandidate ? after : before;
            result.Add(change with { Stack = stackOwner.LeafStacks.TryGetValue(named.Name, out int s) ? s : -1 });
        }
        // Self (where the CPU went) before total (what called it): the largest self move first, then the largest total move.
        result.Sort((x, y) =>
        {
            int order = Math.Abs(y.SelfShareDelta).CompareTo(Math.Abs(x.SelfShareDelta));
            if (order == 0)
                order = Math.Abs(y.TotalShareDelta).CompareTo(Math.Abs(x.TotalShareDelta));
            if (order == 0)
                order = string.CompareOrdinal(x.Name, y.Name);
            return order != 0 ? order : string.CompareOrdinal(x.Module, y.Module);
        });
        return result;
    }

    private static bool Moved(double before, double after, RunDiffOptions options)
    {
        double delta = Math.Abs(after - before);
        return delta > 0 && delta >= options.MinSampledShareChange && delta >= options.MinRelativeChange * before;
    }

    /// <summary>Functions keyed by name and module; a name that repeats within one module (overloads) keeps its id in the key.</summary>
    private static SortedDictionary<string, FunctionStats> ByName(IReadOnlyList<FunctionStats> functions)
    {
        var repeated = functions.GroupBy(f => (f.Name, f.Module)).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        var result = new SortedDictionary<string, FunctionStats>(StringComparer.Ordinal);
        foreach (var f in functions)
        {
            string key = f.Module + "\u0001" + f.Name + (repeated.Contains((f.Name, f.Module)) ? "\u0001" + EvidenceRef.ForFunction(f.FunctionId) : "");
            result[key] = f;
        }
        return result;
    }

    private static List<MetricChange> Changes(FunctionStats b, FunctionStats c, RunDiffOptions options)
    {
        var changes = new List<MetricChange>();
        long countDelta = c.Count - b.Count;
        if (Math.Abs(countDelta) >= options.MinCountChange && Math.Abs(countDelta) >= options.MinRelativeChange * b.Count)
            changes.Add(new MetricChange(DiffMetric.Count, b.Count, c.Count, countDelta * b.MeanNs));
        long calls = Math.Min(b.Count, c.Count);
        if (calls >= options.MinCalls)
        {
            AddTime(changes, DiffMetric.P50, b.P50Ns, c.P50Ns, calls, options);
            AddTime(changes, DiffMetric.P95, b.P95Ns, c.P95Ns, Math.Max(1, calls / 20.0), options);
            AddTime(changes, DiffMetric.Self, b.SelfTotalNs, c.SelfTotalNs, 1, options);
        }
        changes.Sort((x, y) =>
        {
            int order = Math.Abs(y.ImpactNs).CompareTo(Math.Abs(x.ImpactNs));
            return order != 0 ? order : x.Metric.CompareTo(y.Metric);
        });
        return changes;
    }

    private static void AddTime(List<MetricChange> changes, DiffMetric metric, double before, double after, double weight, RunDiffOptions options)
    {
        double delta = after - before;
        if (Math.Abs(delta) >= options.MinAbsoluteChangeNs && Math.Abs(delta) >= options.MinRelativeChange * Math.Abs(before) && delta != 0)
            changes.Add(new MetricChange(metric, before, after, delta * weight));
    }

    private sealed record ErrorGroup(string Function, string Module, string Message, long Count, long FirstTime, EventRef First);

    private static SortedDictionary<string, ErrorGroup> ErrorGroups(ExecutionTrace trace)
    {
        var groups = new SortedDictionary<string, ErrorGroup>(StringComparer.Ordinal);
        foreach (int i in trace.IndicesOfKind(EventKind.Exception))
        {
            ulong function = trace.GetFunctionId(i);
            string name = trace.Symbols.GetName(function), module = trace.Symbols.GetModuleName(function);
            string message = trace.TryGetMessage(i, out string text) ? text : "";
            string key = module + "\u0001" + name + "\u0001" + message;
            long time = trace.Timestamps[i];
            if (groups.TryGetValue(key, out var group))
                groups[key] = time < group.FirstTime ? group with { Count = group.Count + 1, FirstTime = time, First = trace.GetEventRef(i) } : group with { Count = group.Count + 1 };
            else
                groups[key] = new ErrorGroup(name, module, message, 1, time, trace.GetEventRef(i));
        }
        return groups;
    }

    private static List<ErrorChange> ErrorChanges(SortedDictionary<string, ErrorGroup> before, SortedDictionary<string, ErrorGroup> after, RunDiffOptions options)
    {
        var result = new List<ErrorChange>();
        foreach (var (key, c) in after)
        {
            long b = before.TryGetValue(key, out var old) ? old.Count : 0;
            long delta = c.Count - b;
            if (b == 0 || (Math.Abs(delta) >= options.MinCountChange && Math.Abs(delta) >= options.MinRelativeChange * b))
                result.Add(new ErrorChange(c.Function, c.Module, c.Message, b, c.Count, EvidenceRef.ForEvent(c.First)));
        }
        foreach (var (key, b) in before)
        {
            if (!after.ContainsKey(key))
                result.Add(new ErrorChange(b.Function, b.Module, b.Message, b.Count, 0, EvidenceRef.ForEvent(b.First)));
        }
        // New first (most first), then more, fewer, gone; ties by function, module, message.
        static int Order(ErrorChange e) => e.IsNew ? 0 : e.IsGone ? 3 : e.CandidateCount > e.BaselineCount ? 1 : 2;
        result.Sort((x, y) =>
        {
            int c = Order(x).CompareTo(Order(y));
            if (c == 0)
                c = Math.Abs(y.CandidateCount - y.BaselineCount).CompareTo(Math.Abs(x.CandidateCount - x.BaselineCount));
            if (c == 0)
                c = string.CompareOrdinal(x.Function, y.Function);
            if (c == 0)
                c = string.CompareOrdinal(x.Module, y.Module);
            return c != 0 ? c : string.CompareOrdinal(x.Message, y.Message);
        });
        return result;
    }

    /// <summary>Findings of <paramref name="findings"/> with no finding of the same kind and culprit (by name; by title when it has none) in <paramref name="others"/>.</summary>
    private static List<Finding> Unmatched(IReadOnlyList<Finding> findings, ExecutionTrace trace, IReadOnlyList<Finding> others, ExecutionTrace otherTrace)
    {
        var keys = others.Select(f => Key(f, otherTrace)).ToHashSet(StringComparer.Ordinal);
        return [.. findings.Where(f => !keys.Contains(Key(f, trace)))];
    }

    private static string Key(Finding finding, ExecutionTrace trace) =>
        AnswerWords.Of(finding.Kind) + "\u0001" + (finding.FunctionId is { } id ? trace.Symbols.GetModuleName(id) + "\u0001" + trace.Symbols.GetName(id)
            : SampledProfile.SampledLeaf(finding, trace) is { } leaf ? "sampled\u0001" + leaf : finding.Title);
}
