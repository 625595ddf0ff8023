using System.Diagnostics;
using Microsoft.Extensions.Logging;
using TraceQuery.Analysis;
using TraceQuery.Filtering;
using TraceQuery.Generation;
using TraceQuery.Protocol;
using TraceQuery.Summaries;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Telemetry;

[TestClass]
public sealed class QueryTelemetryTests
{
    private static readonly TokenCounter Gpt4o = new("gpt-4o");

    [TestMethod]
    public void Process_WithMeterListener_ThenMeasuresTheQuery()
    {
        using var factory = new TestMeterFactory();
        using var recorder = new MeasurementRecorder(factory);
        var engine = new QueryEngine(tokenCounter: Gpt4o, meterFactory: factory);
        using var trace = TraceGenerator.Generate(10_000, new TraceGeneratorOptions { Anomalies = TraceAnomalies.All });
        const string filter = "fn:parse_* or kind:exception";
        int expectedMatches = TraceQuery.Filtering.EventFilter.Parse(filter).Evaluate(trace).Count;

        var result = engine.Process(trace, tokenBudget: 300, filter: filter);

        Assert.IsTrue(result.DidTruncate, "a 300-token budget cannot hold this answer");
        Assert.AreEqual(1, recorder.Sum(TraceQueryTelemetry.Queries));
        Assert.AreEqual("process", recorder.Of(TraceQueryTelemetry.Queries).Single().Tags[TraceQueryTelemetry.OperationTag]);
        Assert.AreEqual(10_000, recorder.Sum(TraceQueryTelemetry.EventsScanned));
        Assert.AreEqual(expectedMatches, recorder.Sum(TraceQueryTelemetry.EventsMatched));
        Assert.IsTrue(expectedMatches is > 0 and < 10_000);
        Assert.AreEqual(Gpt4o.CountTokens(result.Summary), recorder.Sum(TraceQueryTelemetry.TokensUsed));
        Assert.AreEqual(1, recorder.Sum(TraceQueryTelemetry.Truncations));
        var duration = recorder.Of(TraceQueryTelemetry.QueryDuration).Single();
        Assert.IsTrue(duration.Value > 0 && duration.Value <= result.Elapsed.TotalSeconds + 1, $"duration {duration.Value} s");
        Assert.IsEmpty(recorder.Of(TraceQueryTelemetry.CacheHits));

        // A failed query counts as a query, tagged with the error, and adds no tokens or events.
        Assert.ThrowsExactly<FilterSyntaxException>(() => engine.Process(trace, tokenBudget: 300, filter: "kind:"));
        var queries = recorder.Of(TraceQueryTelemetry.Queries);
        Assert.HasCount(2, queries);
        Assert.AreEqual(typeof(FilterSyntaxException).FullName, queries[1].Tags[TraceQueryTelemetry.ErrorTypeTag]);
        Assert.AreEqual(10_000, recorder.Sum(TraceQueryTelemetry.EventsScanned));
        Assert.HasCount(2, recorder.Of(TraceQueryTelemetry.QueryDuration));
    }

    [TestMethod]
    public void TypedMethods_EachCall_ThenOneQueryTaggedWithItsMethodName()
    {
        using var factory = new TestMeterFactory();
        using var recorder = new MeasurementRecorder(factory);
        var engine = new QueryEngine(tokenCounter: Gpt4o, meterFactory: factory);
        using var trace = TraceGenerator.Generate(4_000, new TraceGeneratorOptions { Anomalies = TraceAnomalies.Crash });

        engine.Info(trace, new TraceInfoRequest());
        engine.TopFunctions(trace, new TopFunctionsRequest { Count = 3 });
        engine.ListSpans(trace, new SpanListRequest { Limit = 2 });
        Assert.ThrowsExactly<TokenBudgetException>(() => engine.Summarize(trace, new SummaryRequest { TokenBudget = 3 }));

        var queries = recorder.Of(TraceQueryTelemetry.Queries);
        CollectionAssert.AreEqual(
            new[] { RequestMethods.TraceInfo, RequestMethods.StatsFunctionsTopN, RequestMethods.SpansList, RequestMethods.NarrationSummary },
            queries.Select(q => (string?)q.Tags[TraceQueryTelemetry.OperationTag]).ToArray());
        Assert.AreEqual(typeof(TokenBudgetException).FullName, queries[3].Tags[TraceQueryTelemetry.ErrorTypeTag]);
    }

    [TestMethod]
    public async Task Server_TwoRequestsOnOneSession_ThenOneCacheMissOneHitAndMethodTags()
    {
        using var factory = new TestMeterFactory();
        using var recorder = new MeasurementRecorder(factory);
        var engine = new QueryEngine(tokenCounter: Gpt4o, meterFactory: factory);
        await using var server = new TraceQueryServer(engine, new TraceQueryServerOptions { TraceRoot = Path.Combine(TestPaths.RepositoryRoot, "samples") });
        await server.StartAsync();

        await server.HandleRequestAsync("""{"method":"trace.info","params":{"trace":"indexer"}}""");
        await server.HandleRequestAsync("""{"method":"trace.query","params":{"trace":"indexer","filter":"kind:exception","token_budget":500}}""");
        await server.HandleRequestAsync("""{"method":"trace.query","params":{"trace":"indexer","filter":"(","token_budget":500}}""");

        Assert.AreEqual(1, recorder.Sum(TraceQueryTelemetry.CacheMisses));
        Assert.AreEqual(2, recorder.Sum(TraceQueryTelemetry.CacheHits));
        var operations = recorder.Of(TraceQueryTelemetry.Queries).Select(m => $"{m.Tags[TraceQueryTelemetry.OperationTag]}:{m.Tags.GetValueOrDefault(TraceQueryTelemetry.ErrorTypeTag)}").ToList();
        CollectionAssert.AreEqual(new[] { "trace.info:", "trace.query:", "trace.query:-32602" }, operations);
    }

    [TestMethod]
    public void Process_WithActivityListener_ThenOneActivityWithTheAnswerTags()
    {
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TraceQueryTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (stopped)
                    stopped.Add(activity);
            },
        };
        ActivitySource.AddActivityListener(listener);
        var engine = new QueryEngine(tokenCounter: Gpt4o);
        using var trace = TraceGenerator.Generate(3_000, new TraceGeneratorOptions { Anomalies = TraceAnomalies.Crash });

        var result = engine.Process(trace, tokenBudget: 2_000, filter: "error");

        Activity activity;
        lock (stopped)
            activity = stopped.Single(a => a.GetTagItem(TraceQueryTelemetry.TokensUsed) is int tokens && tokens == result.TokenCount);
        Assert.AreEqual("process", activity.OperationName);
        Assert.AreEqual(3_000, activity.GetTagItem(TraceQueryTelemetry.EventsScanned));
        Assert.AreEqual(result.EventsMatched, activity.GetTagItem(TraceQueryTelemetry.EventsMatched));
        Assert.AreEqual(2_000, activity.GetTagItem("tracequery.token_budget"));
        Assert.AreEqual(ActivityStatusCode.Unset, activity.Status);
    }

    [TestMethod]
    public void Process_WithLogger_ThenOneDebugLineNamingTokensAndEvents()
    {
        var logger = new LogRecorder();
        var engine = new QueryEngine(tokenCounter: Gpt4o, logger: logger);
        using var trace = TraceGenerator.Generate(2_000);

        var result = engine.Process(trace, tokenBudget: 1_000);
        Assert.ThrowsExactly<TokenBudgetException>(() => engine.Process(trace, tokenBudget: 5));

        var entries = logger.Entries;
        Assert.HasCount(2, entries);
        Assert.AreEqual(LogLevel.Debug, entries[0].Level);
        Assert.AreEqual("QueryAnswered", entries[0].Id.Name);
        StringAssert.Contains(entries[0].Message, $"{result.EventsMatched} of 2000 events matched, {result.TokenCount} of 1000 tokens");
        Assert.AreEqual("QueryRejected", entries[1].Id.Name);
        StringAssert.Contains(entries[1].Message, "TraceQuery.Summaries.TokenBudgetException");
    }
}
