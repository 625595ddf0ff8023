// A host that references TraceQuery as a NuGet package, as a user's application would: it loads an ATF
// session and prints a budgeted summary, then one line of figures that .ci/package-consumer checks.
using System.Reflection;
using TraceQuery;
using TraceQuery.Analysis;
using TraceQuery.Formats.Atf;
using TraceQuery.Summaries;

if (args.Length != 2 || !int.TryParse(args[1], out int budget))
{
    Console.Error.WriteLine("usage: PackageConsumer <session directory> <token budget>");
    return 2;
}

var engine = new QueryEngine(analyzer: new Analyzer(), tokenCounter: new TokenCounter(model: "gpt-4o"));
using var trace = AtfReader.Open(args[0]);
var result = engine.Process(trace, tokenBudget: budget);
Console.WriteLine(result.Summary);

string version = typeof(QueryEngine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
Console.WriteLine($"consumer: events={result.EventsProcessed} findings={result.Findings.Count} tokens={result.TokenCount} budget={result.TokenBudget} truncated={result.DidTruncate} assembly={version}");
return result.TokenCount <= budget ? 0 : 1;
