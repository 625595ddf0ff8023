using System.Runtime.ExceptionServices;
using TraceQuery.Analysis.Internals;
using TraceQuery.Filtering;
using TraceQuery.Model;
using TraceQuery.Text;

namespace TraceQuery.Analysis;

/// <summary>
/// Computes per-function statistics (count, total, self, min, max, mean, exact p50/p95/p99) over a trace's
/// call spans with the vectorized kernels, and runs the finding detectors: crashes and exceptions,
/// hangs, latency outliers, leak-like imbalances, unmatched spans and hot spots. Thread-safe and
/// stateless apart from its options; findings come ranked and in a deterministic order.
/// </summary>
public sealed class Analyzer
{
    /// <summary>Creates an analyzer with <paramref name="options"/>' detector thresholds (null for the defaults). It never counts tokens: pricing text is the summaries' job.</summary>
    public Analyzer(AnalyzerOptions? options = null)
    {
        Options = options ?? AnalyzerOptions.Default;
    }

    /// <summary>Detector thresholds.</summary>
    public AnalyzerOptions Options { get; }

    /// <summary>
    /// Analyses <paramref name="trace"/>, or only the spans touched by <paramref name="selection"/> (a span is
    /// touched when its CALL, its RETURN or an exception raised in it is selected). O(events + spans).
    /// </summary>
    public AnalysisResult Analyze(ExecutionTrace trace, Selection? selection = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var stats = SpanStatistics.Compute(trace, selection, Options.MaxDegreeOfParallelism, cancellationToken);
        var findings = RunDetectors(trace, selection, stats, cancellationToken);
        // Samples are not events: a filter over events does not select them, so only the whole trace's profile is judged.
        if (trace.Samples.Count > 0 && selection is null)
            findings.AddRange(SampledHotSpotDetector.Detect(SampledProfile.Shared(trace, cancellationToken), Options));
        // Samples taken while a span ran say what it was doing (spans and samples on the same thread).
        findings.AddRange(SpanSamplesDetector.Detect(stats, Options));
        findings.Sort(CompareFindings);

        var functions = new List<FunctionStats>();
        foreach (var f in stats.ByOrdinal)
        {
            if (f is not null)
                functions.Add(f);
        }
        return new AnalysisResult(functions, findings, stats.IncludedCount, stats.Spans.Count);
    }

    /// <summary>Per-function statistics only (no detectors), ordered by function id.</summary>
    public IReadOnlyList<FunctionStats> ComputeFunctionStats(ExecutionTrace trace, Selection? selection = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var stats = SpanStatistics.Compute(trace, selection, Options.MaxDegreeOfParallelism, cancellationToken, perSpan: false);
        return [.. stats.ByOrdinal.Where(f => f is not null).Select(f => f!)];
    }

    /// <summary>
    /// The unfiltered analysis, computed once per trace and per options (<see cref="TraceMemo"/>) and shared: the same
    /// result as <see cref="Analyze"/> with no selection. Options that differ only in
    /// <see cref="AnalyzerOptions.MaxDegreeOfParallelism"/> share it, since results do not depend on it.
    /// </summary>
    internal AnalysisResult AnalyzeShared(ExecutionTrace trace, CancellationToken cancellationToken)
    {
        var key = (nameof(Analyze), Options with { MaxDegreeOfParallelism = -1 });
        return TraceMemo.Get(trace, key, ct => Analyze(trace, null, ct), cancellationToken);
    }

    /// <summary>The unfiltered per-function statistics (as <see cref="ComputeFunctionStats"/> with no selection), computed once per trace and shared.</summary>
    internal IReadOnlyList<FunctionStats> ComputeFunctionStatsShared(ExecutionTrace trace, CancellationToken cancellationToken) =>
        TraceMemo.Get(trace, nameof(ComputeFunctionStats), ct => ComputeFunctionStats(trace, null, ct), cancellationToken);

    /// <summary>The <paramref name="count"/> functions ranked highest by <paramref name="metric"/> (ties: by function id).</summary>
    public static IReadOnlyList<FunctionStats> TopFunctions(IEnumerable<FunctionStats> functions, FunctionMetric metric, int count)
    {
        ArgumentNullException.ThrowIfNull(functions);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Func<FunctionStats, double> key = metric switch
        {
            FunctionMetric.Count => f => f.Count,
            FunctionMetric.Total => f => f.TotalNs,
            FunctionMetric.Self => f => f.SelfTotalNs,
            _ => f => f.P95Ns,
        };
        return [.. functions.OrderByDescending(key).ThenBy(f => f.FunctionId).Take(count)];
    }

    internal static int CompareFindings(Finding a, Finding b)
    {
        int c = a.Severity.CompareTo(b.Severity);
        if (c != 0)
            return c;
        c = b.Score.CompareTo(a.Score);
        if (c != 0)
            return c;
        c = a.Kind.CompareTo(b.Kind);
        if (c != 0)
            return c;
        c = (a.FunctionId ?? 0).CompareTo(b.FunctionId ?? 0);
        return c != 0 ? c : string.CompareOrdinal(a.Title, b.Title);
    }

    /// <summary>
    /// Runs the detectors over one shared <see cref="SpanStatistics"/> (computed once, read by all) in parallel: the
    /// crash, leak and unmatched detectors and the hang detector at once, then the outlier and hot spot detectors,
    /// which skip the hang detector's spans. Findings are joined in a fixed detector order, so the result does not
    /// depend on the scheduling.
    /// </summary>
    private List<Finding> RunDetectors(ExecutionTrace trace, Selection? selection, SpanStatistics stats, CancellationToken cancellationToken)
    {
        var options = Options;
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        List<Finding> crashes = [], errors = [], hangs = [], outliers = [], leaks = [], unmatched = [], hotSpots = [];
        var hangSpans = new HashSet<int>();
        var exceptionEvents = ExceptionEvents(trace, selection);
        try
        {
            Parallel.Invoke(
                parallel,
                () => crashes = [.. CrashDetector.Detect(stats, exceptionEvents, options)],
                () => errors = [.. ErrorDetector.Detect(stats, exceptionEvents, options)],
                () => leaks = [.. LeakDetector.Detect(stats, options)],
                () => unmatched = [.. UnmatchedDetector.Detect(stats, options)],
                () =>
                {
                    hangs = [.. HangDetector.Detect(stats, options, hangSpans)];
                    cancellationToken.ThrowIfCancellationRequested();
                    Parallel.Invoke(
                        parallel,
                        () => outliers = [.. OutlierDetector.Detect(stats, options, hangSpans)],
                        () => hotSpots = [.. HotSpotDetector.Detect(stats, options, hangSpans)]);
                });
        }
        catch (AggregateException failed)
        {
            // As when the detectors ran one after another: a cancellation, or the first detector's own exception.
            cancellationToken.ThrowIfCancellationRequested();
            ExceptionDispatchInfo.Throw(failed.Flatten().InnerExceptions[0]);
        }
        return [.. crashes, .. errors, .. hangs, .. outliers, .. leaks, .. unmatched, .. hotSpots];
    }

    private static List<int> ExceptionEvents(ExecutionTrace trace, Selection? selection)
    {
        var exceptions = trace.IndicesOfKind(EventKind.Exception);
        if (selection is not null)
            exceptions.RemoveAll(i => !selection.Contains(i));
        return exceptions;
    }
}
