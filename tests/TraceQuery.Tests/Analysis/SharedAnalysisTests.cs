using System.Globalization;
using System.Text;
using TraceQuery.Analysis;
using TraceQuery.Generation;
using TraceQuery.Model;

namespace TraceQuery.Tests.Analysis;

/// <summary>
/// The whole trace's analysis (and its function statistics, exemplars and timeline) is computed once per trace and
/// shared (<see cref="TraceMemo"/>): answers from the shared values are byte-identical to answers computed afresh,
/// sequentially and under concurrent requests, and a cancelled caller leaves nothing broken behind.
/// </summary>
[TestClass]
public sealed class SharedAnalysisTests
{
    /// <summary>Every façade method that reads the analysis, filtered and not, paged and not.</summary>
    private static readonly Func<QueryEngine, ExecutionTrace, QueryResult>[] Requests =
    [
        (q, t) => q.Process(t, 4096),
        (q, t) => q.Process(t, 300),
        (q, t) => q.Process(t, 2048, "fn:parse_* or kind:exception"),
        (q, t) => q.Summarize(t, new SummaryRequest { TokenBudget = 1024, MaxFindings = 2, IncludeTimeline = false }),
        (q, t) => q.Summarize(t, new SummaryRequest { TokenBudget = 512, Filter = "depth<=2" }),
        (q, t) => q.SearchFindings(t, new FindingSearchRequest { Symptom = "slow hang crash leak", TokenBudget = 2048 }),
        (q, t) => q.SearchFindings(t, new FindingSearchRequest { Symptom = "exception", Limit = 2, TokenBudget = 400 }),
        (q, t) => q.TopFunctions(t, new TopFunctionsRequest { Count = 5, Metric = FunctionMetric.Self, TokenBudget = 1024 }),
        (q, t) => q.TopFunctions(t, new TopFunctionsRequest { Count = 20, Metric = FunctionMetric.Count, TokenBudget = 1024 }),
        (q, t) => q.TopFunctions(t, new TopFunctionsRequest { Count = 5, Filter = "thread:1", TokenBudget = 1024 }),
        (q, t) => q.ListSpans(t, new SpanListRequest { Function = "parse_*", Limit = 10, TokenBudget = 1024 }),
        (q, t) => q.PlanKeySymbols(t, "hang when hashing files", topK: 5, tokenBudget: 1024),
        (q, t) => q.Info(t, new TraceInfoRequest { TokenBudget = 1024 }),
    ];

    private static ExecutionTrace CreateTrace(int events = 60_000) =>
        TraceGenerator.Generate(events, new TraceGeneratorOptions { Threads = 4, Seed = 1204, Anomalies = TraceAnomalies.All });

    /// <summary>Everything a caller reads of a result except its elapsed time.</summary>
    private static string Render(QueryResult r)
    {
        var text = new StringBuilder(r.Summary);
        text.Append(CultureInfo.InvariantCulture, $"\n|{r.TokenCount}|{r.TokenBudget}|{r.Model}|{r.EventsProcessed}|{r.EventsMatched}|{r.DidTruncate}|{r.NextCursor}");
        foreach (var f in r.Findings)
            text.Append('\n').Append(f.Kind).Append('|').Append(f.Severity).Append('|').Append(f.Title).Append('|').Append(f.Rationale)
                .Append('|').Append(string.Join(' ', f.Evidence)).Append('|').Append(f.Score.ToString("R", CultureInfo.InvariantCulture));
        return text.ToString();
    }

    private static string[] Uncached(ExecutionTrace trace, AnalyzerOptions? options = null)
    {
        var engine = new QueryEngine(new Analyzer(options)) { ShareAnalysis = false };
        return [.. Requests.Select(request => Render(request(engine, trace)))];
    }

    [TestMethod]
    public void SharedAnalysis_EveryFacadeMethodTwice_ThenByteIdenticalToUncached()
    {
        using var trace = CreateTrace();
        var expected = Uncached(trace);
        Assert.AreEqual(0, TraceMemo.Computations(trace), "the uncached engine shares nothing");

        var engine = new QueryEngine();
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < Requests.Length; i++)
                Assert.AreEqual(expected[i], Render(Requests[i](engine, trace)), $"request {i}, round {round}");
        }
        // The analysis, the unfiltered function statistics, the exemplars, the timeline and the whole-trace lines: once each.
        Assert.AreEqual(5, TraceMemo.Computations(trace));
    }

    [TestMethod]
    public void SharedAnalysis_ConcurrentMixedRequests_ThenByteIdenticalAndComputedOnce()
    {
        using var trace = CreateTrace();
        var expected = Uncached(trace);
        var engine = new QueryEngine();
        var answers = new string[Requests.Length * 8];
        Parallel.For(0, answers.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            answers[i] = Render(Requests[i % Requests.Length](engine, trace)));
        for (int i = 0; i < answers.Length; i++)
            Assert.AreEqual(expected[i % Requests.Length], answers[i], $"answer {i}");
        Assert.AreEqual(5, TraceMemo.Computations(trace));
    }

    [TestMethod]
    public void SharedAnalysis_DifferentAnalyzerOptions_ThenNotShared()
    {
        using var trace = CreateTrace();
        var strict = new AnalyzerOptions { OutlierFactor = 2, OutlierMinimumCount = 5, HotSpotCallShare = 0.05 };
        string defaults = Uncached(trace)[0], custom = Uncached(trace, strict)[0];
        Assert.AreNotEqual(defaults, custom, "the options change the findings");

        Assert.AreEqual(defaults, Render(new QueryEngine().Process(trace, 4096)));
        Assert.AreEqual(custom, Render(new QueryEngine(new Analyzer(strict)).Process(trace, 4096)));
        // Results do not depend on the degree of parallelism, so it does not split the cache.
        Assert.AreEqual(custom, Render(new QueryEngine(new Analyzer(strict with { MaxDegreeOfParallelism = 1 })).Process(trace, 4096)));
        Assert.AreEqual(2, TraceMemo.Computations(trace) - 3, "two analyses beside the shared exemplars, timeline and whole-trace lines");
    }

    [TestMethod]
    public void SharedAnalysis_CancelledCaller_ThenOthersStillGetTheAnswer()
    {
        using var trace = CreateTrace(200_000);
        string expected = Uncached(trace)[0];
        var engine = new QueryEngine();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsExactly<OperationCanceledException>(() => engine.Process(trace, 4096, cancellationToken: cancelled.Token));

        // One caller gives up early while others wait for the same computation.
        using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(1));
        var impatient = Task.Run(() => engine.Process(trace, 4096, cancellationToken: soon.Token));
        var patient = Enumerable.Range(0, 3).Select(_ => Task.Run(() => Render(engine.Process(trace, 4096)))).ToArray();
        foreach (var task in patient)
            Assert.AreEqual(expected, task.Result);
        try
        {
            Assert.AreEqual(expected, Render(impatient.Result));
        }
        catch (AggregateException e) when (e.InnerException is OperationCanceledException)
        {
            // Cancelled before or while waiting: either is fine.
        }
        Assert.AreEqual(expected, Render(engine.Process(trace, 4096)));
    }

    [TestMethod]
    public void TraceMemo_Prefetched_ThenGetReturnsTheBackgroundValueComputedOnce()
    {
        using var trace = CreateTrace(1_000);
        using var gate = new ManualResetEventSlim();
        var value = new object();
        TraceMemo.Prefetch(trace, "prefetched", _ =>
        {
            gate.Wait();
            return value;
        });
        TraceMemo.Prefetch(trace, "prefetched", _ => new object()); // already there: not started again
        var caller = Task.Run(() => TraceMemo.Get(trace, "prefetched", _ => new object(), CancellationToken.None));
        gate.Set();
        Assert.AreSame(value, caller.Result);
        Assert.AreSame(value, TraceMemo.Get(trace, "prefetched", _ => new object(), CancellationToken.None));
        Assert.AreEqual(1, TraceMemo.Computations(trace));
    }

    [TestMethod]
    public void TraceMemo_ConcurrentFirstCallers_ThenOneComputation()
    {
        using var trace = CreateTrace(1_000);
        using var gate = new ManualResetEventSlim();
        var results = new object[6];
        var callers = Enumerable.Range(0, results.Length).Select(i => Task.Run(() => results[i] = TraceMemo.Get(trace, "gated", _ =>
        {
            gate.Wait();
            return new object();
        }, CancellationToken.None))).ToArray();
        Thread.Sleep(50);
        gate.Set();
        Task.WaitAll(callers);
        Assert.AreEqual(1, TraceMemo.Computations(trace));
        Assert.IsTrue(results.All(r => ReferenceEquals(r, results[0])));
    }

    [TestMethod]
    public void TraceMemo_OnlyWaiterCancels_ThenComputationStoppedAndNextCallerComputesAgain()
    {
        using var trace = CreateTrace(1_000);
        using var cancel = new CancellationTokenSource();
        using var started = new ManualResetEventSlim();
        var stopped = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Task.Run(() => TraceMemo.Get<object>(trace, "slow", ct =>
        {
            started.Set();
            stopped.SetResult(ct.WaitHandle.WaitOne(TimeSpan.FromSeconds(30)));
            ct.ThrowIfCancellationRequested();
            return "never";
        }, cancel.Token));
        started.Wait();
        cancel.Cancel();
        Assert.IsInstanceOfType<OperationCanceledException>(Assert.ThrowsExactly<AggregateException>(() => first.Wait()).InnerException);
        Assert.IsTrue(stopped.Task.Result, "the computation saw its cancellation");

        Assert.AreEqual("done", TraceMemo.Get<object>(trace, "slow", _ => "done", CancellationToken.None));
        Assert.AreEqual(2, TraceMemo.Computations(trace));
    }

    [TestMethod]
    public void TraceMemo_FailedComputation_ThenNotKept()
    {
        using var trace = CreateTrace(1_000);
        Assert.ThrowsExactly<InvalidOperationException>(() => TraceMemo.Get<object>(trace, "fails", _ => throw new InvalidOperationException("boom"), CancellationToken.None));
        Assert.AreEqual("ok", TraceMemo.Get<object>(trace, "fails", _ => "ok", CancellationToken.None));
    }
}
