// A host that references TraceQuery as a NuGet package, as a user's application would: it loads an ATF
// session and prints a budgeted summary, then one line of figures that .ci/package-consumer checks. Given a
// .nettrace too, it registers TraceQuery.NetTrace's reader and opens that file through TraceFile.Open.
using System.Reflection;
using TraceQuery;
using TraceQuery.Analysis;
using TraceQuery.Formats;
using TraceQuery.Formats.Atf;
using TraceQuery.NetTrace;
using TraceQuery.Summaries;

if (args.Length is < 2 or > 3 || !int.TryParse(args[1], out int budget))
{
    Console.Error.WriteLine("usage: PackageConsumer <session directory> <token budget> [<file.nettrace>]");
    return 2;
}

var engine = new QueryEngine(tokenCounter: new TokenCounter(model: "gpt-4o"));
using var trace = AtfReader.Open(args[0]);
var result = engine.Process(trace, tokenBudget: budget);
Console.WriteLine(result.Summary);

string version = typeof(QueryEngine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
Console.WriteLine($"consumer: events={result.EventsProcessed} findings={result.Findings.Count} tokens={result.TokenCount} budget={result.TokenBudget} truncated={result.DidTruncate} assembly={version}");
if (args.Length == 3)
{
    NetTraceFile.Register();
    using var nettrace = TraceFile.Open(args[2]);
    var analysis = new Analyzer().Analyze(nettrace);
    var exceptions = analysis.Findings.Where(f => f.Kind == FindingKind.Exception).ToList();
    var hottest = SampledProfile.Compute(nettrace).TopBySelf(1)[0]; // sampled CPU self time (stack samples, waiting ones apart)
    Console.WriteLine($"nettrace: format={nettrace.Metadata.SourceFormat} samples={nettrace.Metadata.CpuSamples} exception_findings={exceptions.Count} hottest={hottest.Name}");
    if (exceptions.Count > 0)
        Console.WriteLine("nettrace exception: " + exceptions[0].Rationale);
}
return result.TokenCount <= budget ? 0 : 1;
