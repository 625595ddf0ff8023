using System.IO.Hashing;
using System.Text;
using TraceQuery.Analysis;
using TraceQuery.Filtering;
using TraceQuery.Fleet;
using TraceQuery.Model;
using TraceQuery.Summaries;
using TraceQuery.Text;

namespace TraceQuery;

public sealed partial class QueryEngine
{
    /// <summary>
    /// Compares two runs and answers within <paramref name="tokenBudget"/>: errors and findings new in the candidate (with
    /// messages), functions whose count, p50, p95 or self time changed beyond the thresholds of <paramref name="options"/>
    /// (largest impact first), functions that appear or vanish, what is gone, and the functions that did not change.
    /// Evidence names its run (<c>trace:&lt;name&gt; event:1:3001</c>); <paramref name="cursor"/> continues a cut answer.
    /// </summary>
    /// <param name="baseline">The earlier (reference) run.</param>
    /// <param name="candidate">The run to judge.</param>
    /// <param name="tokenBudget">Largest token count of the answer.</param>
    /// <param name="options">Thresholds and model; null for the defaults.</param>
    /// <param name="cursor">The <see cref="QueryResult.NextCursor"/> of the previous page.</param>
    /// <param name="baselineName">How the answer names the baseline (<c>trace:&lt;name&gt;</c>).</param>
    /// <param name="candidateName">How the answer names the candidate.</param>
    /// <param name="cancellationToken">Checked between the stages.</param>
    /// <exception cref="ArgumentOutOfRangeException">The budget is below the minimum for this answer, or a threshold is out of range.</exception>
    /// <exception cref="ArgumentException">The cursor is malformed or belongs to another diff, or the model is unknown.</exception>
    public QueryResult Diff(ExecutionTrace baseline, ExecutionTrace candidate, int tokenBudget = 4096, RunDiffOptions? options = null, string? cursor = null,
        string baselineName = "baseline", string candidateName = "candidate", CancellationToken cancellationToken = default) =>
        Measured(QueryOperations.TracesDiff, () => RunDiff(baseline, candidate, tokenBudget, options, cursor, baselineName, candidateName, cancellationToken));

    /// <summary><see cref="Diff"/> without measuring (the server measures its requests itself).</summary>
    internal QueryResult RunDiff(ExecutionTrace baseline, ExecutionTrace candidate, int tokenBudget, RunDiffOptions? options, string? cursor,
        string baselineName, string candidateName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentException.ThrowIfNullOrWhiteSpace(baselineName);
        ArgumentException.ThrowIfNullOrWhiteSpace(candidateName);
        options ??= RunDiffOptions.Default;
        options.Validate();
        var (counter, started) = Begin(tokenBudget, options.Model);
        var diff = RunComparer.Compare(baseline, candidate, options, Analyzer, cancellationToken);
        var (headline, items, totals) = RunDiffText.Render(diff, baselineName, candidateName, options);
        string query = $"diff|{baselineName}|{candidateName}|{options.MinRelativeChange}|{options.MinAbsoluteChangeNs}|{options.MinCalls}|{options.MinCountChange}";
        ulong fingerprint = PageFitter.Fingerprint(candidate, query + "|" + PageFitter.Fingerprint(baseline, query, counter.Model), counter.Model);
        int events = Saturated((long)baseline.EventCount + candidate.EventCount);
        var lines = new AnswerLines(headline, items, totals, query, events, diff.NewFindings);
        return Page(fingerprint, counter, lines, tokenBudget, cursor, events, started, cancellationToken);
    }

    /// <summary>
    /// One answer over a set of traces within <paramref name="tokenBudget"/>: how many traces, which failed and where —
    /// findings grouped by culprit ("crash in parse_header: 9 of 200 runs; first in run-17") — the hot functions whose p95
    /// differs most between traces, the traces that stand out by errors or duration, then one line per trace. Traces are
    /// analysed <see cref="FleetOptions.MaxDegreeOfParallelism"/> at a time and released (see <see cref="FleetAnalyzer"/>).
    /// Evidence names its trace (<c>trace:&lt;name&gt; event:1:3001</c>); <paramref name="cursor"/> continues a cut answer.
    /// </summary>
    /// <param name="set">The traces.</param>
    /// <param name="tokenBudget">Largest token count of the answer.</param>
    /// <param name="options">Filter, parallelism, naming and model; null for the defaults.</param>
    /// <param name="cursor">The <see cref="QueryResult.NextCursor"/> of the previous page.</param>
    /// <param name="setName">How the headline names the set (a folder); null for its root folder's name.</param>
    /// <param name="cancellationToken">Checked between traces and stages.</param>
    /// <exception cref="FilterSyntaxException">The filter is malformed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The budget is below the minimum for this answer, or an option is out of range.</exception>
    /// <exception cref="ArgumentException">The cursor is malformed or belongs to another answer, or the model is unknown.</exception>
    public QueryResult SummarizeFleet(TraceSet set, int tokenBudget = 4096, FleetOptions? options = null, string? cursor = null, string? setName = null, CancellationToken cancellationToken = default) =>
        Measured(QueryOperations.TracesFleet, () => RunFleet(set, tokenBudget, options, cursor, setName, cancellationToken));

    /// <summary><see cref="SummarizeFleet"/> without measuring (the server measures its requests itself).</summary>
    internal QueryResult RunFleet(TraceSet set, int tokenBudget, FleetOptions? options, string? cursor, string? setName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(set);
        options ??= FleetOptions.Default;
        options.Validate();
        var (counter, started) = Begin(tokenBudget, options.Model);
        // Parse first: a malformed filter is refused before any trace is opened.
        string canonical = string.IsNullOrWhiteSpace(options.Filter) ? "" : EventFilter.Parse(options.Filter).Canonical;
        var report = FleetAnalyzer.Analyze(set, options, Analyzer, progress: null, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        string name = setName ?? (Path.GetFileName(Path.TrimEndingDirectorySeparator(set.Root)) is { Length: > 0 } folder ? folder : "the set");
        var (headline, items, totals) = FleetText.Render(report, name, options.TraceNamePrefix);
        var hash = new XxHash64();
        hash.Append(Encoding.UTF8.GetBytes($"fleet|{canonical}|{options.MinCalls}|{options.HotFunctions}|{options.TraceNamePrefix}|{name}|{counter.Model.ToLowerInvariant()}"));
        foreach (var entry in set.Entries)
            hash.Append(Encoding.UTF8.GetBytes($"|{entry.Name}|{entry.Bytes}|{entry.Format}"));
        foreach (var digest in report.Traces)
            hash.Append(Encoding.UTF8.GetBytes($"|{digest.Events}|{digest.DurationNs}"));
        var lines = new AnswerLines(headline, items, totals, "fleet|" + canonical, Saturated(report.EventsMatched), []);
        return Page(hash.GetCurrentHashAsUInt64(), counter, lines, tokenBudget, cursor, Saturated(report.Events), started, cancellationToken);
    }

    private static int Saturated(long value) => (int)Math.Min(int.MaxValue, value);

    /// <summary>Fits an answer over several traces into one page and wraps it as the result.</summary>
    private static QueryResult Page(ulong fingerprint, ITokenCounter counter, AnswerLines lines, int tokenBudget, string? cursor, int eventsProcessed, long started, CancellationToken cancellationToken)
    {
        var page = PageFitter.Fit(fingerprint, counter, lines, tokenBudget, cursor, cancellationToken);
        return new QueryResult(page.Text, page.TokenCount, tokenBudget, counter.Model, eventsProcessed, lines.Matched, lines.Findings,
            page.Truncated, page.NextCursor, System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }
}
