using System.Globalization;
using TraceQuery.Analysis.Internals;
using TraceQuery.Model;
using TraceQuery.Text;

namespace TraceQuery.Analysis;

/// <summary>
/// Ranks a trace's functions by relevance to a symptom described in plain words (<c>hang when saving the journal</c>),
/// so an agent knows which functions to look at, and a tracer which to trace next time. Scores add up from:
/// <list type="bullet">
/// <item><c>name_match</c> — a symptom word shares a stem with an identifier part of the name (snake_case, camelCase,
/// <c>::</c> and <c>.</c> split; 3 each), or a related word does (<c>memory</c> ~ <c>alloc</c>; 1.5 each);</item>
/// <item><c>hint_match</c> — the caller's module (4), function (6 exact, 2 per shared part) or file-name hints (2 per shared part);</item>
/// <item><c>in_finding</c> — the function is a finding's culprit or evidence (1, plus 4 when the symptom words fit the finding's kind);</item>
/// <item><c>neighbour</c> — a direct caller or callee of a strong match (score ≥ 4 from the above; 1).</item>
/// </list>
/// Deterministic: ties go to more calls, then the lower function id.
/// </summary>
public static class KeySymbolPlanner
{
    private const double NameWeight = 3, RelatedWeight = 1.5, ModuleHintWeight = 4, FunctionHintWeight = 6, PartHintWeight = 2;
    private const double FindingWeight = 1, FittingFindingWeight = 4, NeighbourWeight = 1, StrongScore = 4;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "a", "an", "and", "or", "but", "when", "while", "with", "for", "is", "are", "was", "were", "be", "been", "it", "its",
        "of", "in", "on", "at", "to", "from", "by", "this", "that", "after", "before", "during", "not", "no", "there", "then",
        "than", "into", "up", "down", "i", "we", "our", "my", "so", "very", "too", "some", "sometimes", "always", "never", "get",
        "gets", "got", "keep", "keeps", "seem", "seems", "does", "do", "did", "has", "have", "had", "all", "any", "app", "program",
    };

    /// <summary>Symptom stems → identifier-part stems they often mean (both sides stemmed at start-up).</summary>
    private static readonly Dictionary<string, string[]> Related = BuildRelated(new()
    {
        ["memory"] = ["alloc", "buffer", "malloc", "free", "pool"],
        ["leak"] = ["alloc", "free", "buffer"],
        ["grow"] = ["alloc", "buffer"],
        ["release"] = ["free", "close", "release"],
        ["hang"] = ["wait", "lock", "block", "sleep", "poll"],
        ["stuck"] = ["wait", "lock", "block", "sleep", "poll"],
        ["freeze"] = ["wait", "lock", "block"],
        ["deadlock"] = ["lock", "wait", "mutex"],
        ["lock"] = ["mutex", "wait"],
        ["save"] = ["write", "flush", "put", "store"],
        ["persist"] = ["write", "flush", "store"],
        ["load"] = ["read", "open", "load"],
        ["disk"] = ["read", "write", "flush"],
        ["checksum"] = ["hash", "crc"],
    });

    /// <summary>Finding kinds and the symptom stems that point at them.</summary>
    private static readonly Dictionary<FindingKind, HashSet<string>> KindWords = new()
    {
        [FindingKind.Crash] = Stems("crash", "crashes", "segfault", "abort", "dies", "fault", "panic", "killed"),
        [FindingKind.Exception] = Stems("exception", "error", "throws", "fails", "failure"),
        [FindingKind.Hang] = Stems("hang", "hangs", "hung", "stuck", "freezes", "deadlock", "waiting", "blocked", "lock"),
        [FindingKind.LatencyOutlier] = Stems("slow", "latency", "spike", "lag", "delay", "sometimes", "occasionally", "outlier"),
        [FindingKind.LeakImbalance] = Stems("leak", "memory", "grows", "released", "freed", "never", "unbounded"),
        [FindingKind.UnmatchedSpans] = Stems("unfinished", "unmatched", "incomplete"),
        [FindingKind.HotSpot] = Stems("cpu", "busy", "hot", "spins", "loop", "burns", "much", "often", "expensive"),
        [FindingKind.LatencyStage] = Stems("slow", "latency", "stage", "request", "queue", "waiting", "delay", "async"),
    };

    /// <summary>
    /// Plans for <paramref name="symptom"/>: the <paramref name="topK"/> best functions with reasons, and per module
    /// the set of those functions encoded by <see cref="FunctionIdSet"/>. O(spans) for the call graph plus O(functions · words).
    /// </summary>
    public static KeySymbolPlan Plan(ExecutionTrace trace, AnalysisResult analysis, string symptom, KeySymbolHints? hints = null, int topK = 10)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(symptom);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK);
        hints ??= KeySymbolHints.None;
        var allStems = Tokens(symptom).Select(WordStemmer.Stem).Distinct().ToList();
        var rawWord = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string token in Tokens(symptom).Where(w => !StopWords.Contains(w)))
            rawWord.TryAdd(WordStemmer.Stem(token), token);
        var words = rawWord.Keys.ToList();
        int functions = trace.FunctionIds.Length;
        var score = new double[functions];
        var reasons = new List<(double Weight, string Text)>[functions];
        for (int f = 0; f < functions; f++)
            reasons[f] = [];
        void Add(int f, double weight, string text)
        {
            score[f] += weight;
            reasons[f].Add((weight, text));
        }

        var rawParts = new List<string>[functions];
        var parts = new List<string>[functions];
        for (int f = 0; f < functions; f++)
        {
            rawParts[f] = IdentifierWords.Split(trace.GetFunctionName(f));
            parts[f] = [.. rawParts[f].Select(WordStemmer.Stem)];
        }

        // name_match
        for (int f = 0; f < functions; f++)
        {
            var direct = new List<string>();
            var related = new List<string>();
            for (int i = 0; i < parts[f].Count; i++)
            {
                string part = parts[f][i], raw = rawParts[f][i];
                if (words.Any(w => WordStemmer.Related(w, part)))
                {
                    direct.Add(raw);
                    continue;
                }
                foreach (string w in words)
                {
                    if (Related.TryGetValue(w, out var meant) && meant.Any(m => WordStemmer.Related(m, part)))
                    {
                        related.Add(rawWord[w] + "~" + raw);
                        break;
                    }
                }
            }
            if (direct.Count > 0)
                Add(f, NameWeight * direct.Count, $"name_match({string.Join(", ", direct)})");
            if (related.Count > 0)
                Add(f, RelatedWeight * related.Count, $"name_match({string.Join(", ", related)})");
        }

        // hint_match
        for (int f = 0; f < functions; f++)
        {
            string name = trace.GetFunctionName(f);
            string module = trace.Symbols.GetModuleName(trace.FunctionIds[f]);
            foreach (string hint in hints.Modules)
            {
                if (hint.Length > 0 && (module.Contains(Path.GetFileName(hint.TrimEnd('/', '\\')), StringComparison.OrdinalIgnoreCase)))
                    Add(f, ModuleHintWeight, $"hint_match(module {module})");
            }
            foreach (string hint in hints.Functions)
            {
                if (string.Equals(hint, name, StringComparison.OrdinalIgnoreCase))
                {
                    Add(f, FunctionHintWeight, $"hint_match(function {name})");
                    continue;
                }
                int shared = SharedParts(hint, parts[f]);
                if (shared > 0)
                    Add(f, PartHintWeight * shared, $"hint_match(function ~{hint})");
            }
            foreach (string hint in hints.Files)
            {
                string stem = Path.GetFileNameWithoutExtension(hint);
                int shared = SharedParts(stem, parts[f]);
                if (shared > 0)
                    Add(f, PartHintWeight * shared, $"hint_match(file {Path.GetFileName(hint)})");
            }
        }

        // in_finding
        var ordinalOf = new Dictionary<ulong, int>(functions);
        for (int f = 0; f < functions; f++)
            ordinalOf[trace.FunctionIds[f]] = f;
        var inFinding = new HashSet<int>[functions];
        foreach (var finding in analysis.Findings)
        {
            bool fits = KindWords.TryGetValue(finding.Kind, out var kindWords) && allStems.Any(kindWords.Contains);
            var members = new List<int>();
            if (finding.FunctionId is { } culprit && ordinalOf.TryGetValue(culprit, out int c))
                members.Add(c);
            foreach (var evidence in finding.Evidence)
            {
                if (evidence.Kind == EvidenceKind.Function && ordinalOf.TryGetValue(evidence.Value, out int o) && !members.Contains(o))
                    members.Add(o);
            }
            foreach (int f in members)
            {
                inFinding[f] ??= [];
                if (!inFinding[f].Add((int)finding.Kind))
                    continue;
                string kind = KindName(finding.Kind);
                Add(f, FindingWeight + (fits ? FittingFindingWeight : 0), fits ? $"in_finding({kind}, fits the symptom)" : $"in_finding({kind})");
            }
        }

        // neighbour: direct callers and callees of strong matches, from the call spans.
        var strong = new bool[functions];
        bool anyStrong = false;
        for (int f = 0; f < functions; f++)
            anyStrong |= strong[f] = score[f] >= StrongScore;
        if (anyStrong)
        {
            var spans = trace.Spans;
            var starts = spans.StartEvents;
            var parents = spans.Parents;
            var ordinals = trace.FunctionOrdinals;
            var edges = new HashSet<long>();
            for (int s = 0; s < starts.Length; s++)
            {
                int p = parents[s];
                if (p < 0)
                    continue;
                int callee = ordinals[starts[s]], caller = ordinals[starts[p]];
                if (callee != caller && (strong[callee] || strong[caller]))
                    edges.Add(((long)caller << 32) | (uint)callee);
            }
            var neighbourOf = new SortedDictionary<int, List<string>>();
            foreach (long edge in edges.Order())
            {
                int caller = (int)(edge >> 32), callee = (int)(uint)edge;
                if (strong[caller] && !strong[callee])
                    Note(callee, "callee of " + trace.GetFunctionName(caller));
                if (strong[callee] && !strong[caller])
                    Note(caller, "caller of " + trace.GetFunctionName(callee));
            }
            void Note(int f, string text)
            {
                if (!neighbourOf.TryGetValue(f, out var list))
                    neighbourOf[f] = list = [];
                list.Add(text);
            }
            foreach (var (f, list) in neighbourOf)
            {
                list.Sort(StringComparer.Ordinal);
                Add(f, NeighbourWeight, $"neighbour({string.Join(", ", list.Take(2))}{(list.Count > 2 ? $", +{list.Count - 2}" : "")})");
            }
        }

        var calls = new long[functions];
        foreach (var stats in analysis.Functions)
            calls[stats.Ordinal] = stats.Count;
        var ranked = Enumerable.Range(0, functions).Where(f => score[f] > 0)
            .OrderByDescending(f => score[f]).ThenByDescending(f => calls[f]).ThenBy(f => trace.FunctionIds[f])
            .ToList();
        var top = ranked.Take(topK).Select(f => new KeySymbol(
            trace.FunctionIds[f],
            trace.GetFunctionName(f),
            trace.Symbols.GetModuleName(trace.FunctionIds[f]),
            score[f],
            [.. reasons[f].OrderByDescending(r => r.Weight).Select(r => r.Text)],
            calls[f])).ToList();
        var sets = top.GroupBy(k => (uint)(k.FunctionId >> 32))
            .Select(g => FunctionIdSet.Encode(g.Key, g.Select(k => (uint)k.FunctionId)))
            .ToList();
        return new KeySymbolPlan(symptom, top, sets, ranked.Count);
    }

    /// <summary>Lower-case words of the text, split like identifiers (so <c>parseHeader</c> in a symptom is two words).</summary>
    private static IEnumerable<string> Tokens(string text) => IdentifierWords.Split(text).Where(w => w.Length > 0 && !w.All(char.IsAsciiDigit));

    private static int SharedParts(string hint, List<string> functionParts)
    {
        int shared = 0;
        foreach (string part in IdentifierWords.Split(hint).Select(WordStemmer.Stem).Distinct())
        {
            if (functionParts.Any(p => WordStemmer.Related(p, part)))
                shared++;
        }
        return shared;
    }

    private static HashSet<string> Stems(params string[] words) => new(words.Select(WordStemmer.Stem), StringComparer.Ordinal);

    private static Dictionary<string, string[]> BuildRelated(Dictionary<string, string[]> table)
    {
        var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (word, meant) in table)
            result[WordStemmer.Stem(word)] = [.. meant.Select(WordStemmer.Stem)];
        return result;
    }

    private static string KindName(FindingKind kind) => kind switch
    {
        FindingKind.Crash => "crash",
        FindingKind.Exception => "exception",
        FindingKind.Hang => "hang",
        FindingKind.LatencyOutlier => "latency_outlier",
        FindingKind.LeakImbalance => "leak",
        FindingKind.UnmatchedSpans => "unmatched_spans",
        FindingKind.LatencyStage => "latency_stage",
        _ => "hot_spot",
    };

    internal static string Describe(double score) => score.ToString("0.#", CultureInfo.InvariantCulture);
}
