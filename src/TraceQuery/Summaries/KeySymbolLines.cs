using System.Globalization;
using TraceQuery.Analysis;
using TraceQuery.Model;
using TraceQuery.Text;

namespace TraceQuery.Summaries;

/// <summary>Renders a <see cref="KeySymbolPlan"/> as a headline and ranked lines: the functions with their reasons, then the per-module sets.</summary>
internal static class KeySymbolLines
{
    public static (string Headline, List<SummaryItem> Items, Dictionary<SummaryItemKind, long> Totals) Render(ExecutionTrace trace, KeySymbolPlan plan)
    {
        string headline = $"# Key symbols for \"{plan.Symptom}\": {TraceText.Count(plan.Functions.Count)} of {TraceText.Count(plan.Candidates)} matching functions ({TraceText.Count(trace.FunctionIds.Length)} in the trace)";
        var items = new List<SummaryItem>();
        for (int i = 0; i < plan.Functions.Count; i++)
        {
            var k = plan.Functions[i];
            items.Add(new SummaryItem(SummaryItemKind.Function,
                $"{i + 1}. {k.Name} ({k.Module}) score {k.Score.ToString("0.#", CultureInfo.InvariantCulture)} · ×{TraceText.Count(k.Calls)} · {string.Join(" · ", k.Reasons)} · {EvidenceRef.ForFunction(k.FunctionId)}",
                AnswerSections.KeyFunctions));
        }
        foreach (var set in plan.ModuleSets)
        {
            ulong any = SymbolTable.MakeFunctionId(set.ModuleId, 0);
            string module = trace.Symbols.GetModuleName(any);
            string encoding = set.Encoding == FunctionIdSetEncoding.Bitset ? "bitset" : "delta list";
            items.Add(new SummaryItem(SummaryItemKind.Timeline,
                $"- {module} (module 0x{set.ModuleId.ToString("x8", CultureInfo.InvariantCulture)}): {TraceText.Count(set.Count)} function{(set.Count == 1 ? "" : "s")} · {encoding} · {set.Base64}",
                AnswerSections.KeyFunctionSets));
        }
        var totals = new Dictionary<SummaryItemKind, long>
        {
            [SummaryItemKind.Function] = plan.Functions.Count,
            [SummaryItemKind.Timeline] = plan.ModuleSets.Count,
        };
        return (headline, items, totals);
    }
}
