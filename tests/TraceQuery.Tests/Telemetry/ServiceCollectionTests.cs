using Microsoft.Extensions.DependencyInjection;
using TraceQuery.Analysis;
using TraceQuery.Protocol;
using TraceQuery.Tests.Infrastructure;
using TraceQuery.Text;

namespace TraceQuery.Tests.Telemetry;

[TestClass]
public sealed class ServiceCollectionTests
{
    [TestMethod]
    public async Task AddTraceQuery_WithOptions_ThenEngineAndServerUseThemAndTheContainersMeter()
    {
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddLogging();
        services.AddTraceQuery(options =>
        {
            options.Model = "gpt-4";
            options.Analyzer = options.Analyzer with { MaxDegreeOfParallelism = 1 };
            options.Server = new TraceQueryServerOptions { TraceRoot = Path.Combine(TestPaths.RepositoryRoot, "samples"), MaxTokenBudget = 900 };
        });
        await using var provider = services.BuildServiceProvider();
        using var recorder = new MeasurementRecorder(provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

        var engine = provider.GetRequiredService<QueryEngine>();
        var server = provider.GetRequiredService<TraceQueryServer>();
        Assert.AreEqual("gpt-4", provider.GetRequiredService<ITokenCounter>().Model);
        Assert.AreSame(provider.GetRequiredService<Analyzer>(), engine.Analyzer);
        Assert.AreEqual(1, engine.Analyzer.Options.MaxDegreeOfParallelism);
        Assert.AreEqual(900, server.Options.MaxTokenBudget);

        await server.StartAsync();
        string response = await server.HandleRequestAsync("""{"method":"narration.summary","params":{"trace":"indexer","token_budget":5000}}""");

        StringAssert.Contains(response, "\"token_budget\":900");
        StringAssert.Contains(response, "\"model\":\"gpt-4\"");
        Assert.AreEqual(1, recorder.Sum(TraceQueryTelemetry.Queries));
        Assert.AreEqual("narration.summary", recorder.Of(TraceQueryTelemetry.Queries).Single().Tags[TraceQueryTelemetry.OperationTag]);
    }

    [TestMethod]
    public void AddTraceQuery_CounterRegisteredFirst_ThenKept()
    {
        var counter = new TraceQuery.Summaries.TokenCounter("o200k_base");
        var services = new ServiceCollection();
        services.AddSingleton<ITokenCounter>(counter);
        services.AddTraceQuery();
        var provider = services.BuildServiceProvider();

        Assert.AreSame(counter, provider.GetRequiredService<QueryEngine>().TokenCounter);
        var server = provider.GetRequiredService<TraceQueryServer>();
        // A container disposed synchronously must be able to dispose the server (it is IDisposable as well).
        provider.Dispose();
        Assert.ThrowsExactly<ObjectDisposedException>(() => server.StartAsync());
    }
}
