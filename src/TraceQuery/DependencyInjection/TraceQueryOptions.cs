using TraceQuery.Analysis;
using TraceQuery.Protocol;

namespace TraceQuery;

/// <summary>
/// What <see cref="Microsoft.Extensions.DependencyInjection.TraceQueryServiceCollectionExtensions.AddTraceQuery"/>
/// registers: the model whose tokenizer counts budgets, the analysis thresholds and the server's limits. It lives with
/// the registration (it names the server's options, a layer above the façade) but keeps the <c>TraceQuery</c> namespace.
/// </summary>
public sealed class TraceQueryOptions
{
    /// <summary>Model (or encoding) whose tokenizer counts every budget, e.g. <c>gpt-4o</c>, <c>gpt-4</c>, <c>o200k_base</c>. Default <c>gpt-4o</c>.</summary>
    public string Model { get; set; } = "gpt-4o";

    /// <summary>Thresholds of the finding detectors and the analysis parallelism. Default <see cref="AnalyzerOptions.Default"/>.</summary>
    public AnalyzerOptions Analyzer { get; set; } = AnalyzerOptions.Default;

    /// <summary>Trace root and limits of the registered <see cref="TraceQueryServer"/>. Default: no trace root, default limits.</summary>
    public TraceQueryServerOptions Server { get; set; } = new();
}
