using TraceQuery.Generation;
using TraceQuery.Model;

namespace TraceQuery.Tests.Analysis;

/// <summary>The golden scenarios shared by analysis and summary tests: one planted anomaly each, plus a clean trace.</summary>
internal static class GoldenTraces
{
    public static IEnumerable<object[]> Names => [["clean"], ["crash"], ["hang"], ["leak"], ["outlier"], ["hotloop"]];

    public static TraceAnomalies AnomalyOf(string name) => name switch
    {
        "crash" => TraceAnomalies.Crash,
        "hang" => TraceAnomalies.Hang,
        "leak" => TraceAnomalies.Leak,
        "outlier" => TraceAnomalies.LatencyOutlier,
        "hotloop" => TraceAnomalies.HotLoop,
        _ => TraceAnomalies.None,
    };

    /// <summary>The culprit function the planted anomaly names.</summary>
    public static string CulpritOf(string name) => name switch
    {
        "crash" => "parse_header",
        "hang" => "wait_for_lock",
        "leak" => "buffer_alloc",
        "outlier" => "hash_file",
        "hotloop" => "checksum_block",
        _ => "",
    };

    public static ExecutionTrace Create(string name, int events = 20_000) =>
        TraceGenerator.Generate(events, new TraceGeneratorOptions { Threads = 4, Seed = 42, Anomalies = AnomalyOf(name) });
}
