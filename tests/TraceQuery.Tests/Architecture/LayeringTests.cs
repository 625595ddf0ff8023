using System.Text;
using System.Text.RegularExpressions;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Architecture;

/// <summary>
/// The layers of DESIGN.md's data flow, read from the sources: a folder of <c>src/TraceQuery</c> uses only the
/// folders before it in <see cref="LayerOrder"/>, and no folder uses another folder's <c>Internals</c>. A broken rule
/// fails with file and line. The rules live here, in one place; the README's "Layers" paragraph points at them.
/// </summary>
[TestClass]
public sealed partial class LayeringTests
{
    /// <summary>
    /// Folder → rank. A folder may use folders of a lower rank, and folders of its own rank only where
    /// <see cref="AllowedSameRank"/> says so. The root folder (namespace <c>TraceQuery</c>: the façade) is "".
    /// </summary>
    private static readonly Dictionary<string, int> LayerOrder = new(StringComparer.Ordinal)
    {
        ["Vectorized"] = 0, // numeric kernels, no trace knowledge
        ["Model"] = 1, // the trace: events, columns, symbols, call spans
        ["Text"] = 2, // the one renderer, glob, duration text, stemmer, token counter interface
        ["Formats"] = 3, // bytes → trace
        ["Recording"] = 4, // Activity → trace (writes ATF through Formats)
        ["Generation"] = 4, // seeded traces (writes through Formats)
        ["Filtering"] = 5, // filter language → Selection
        ["Analysis"] = 6, // spans, statistics, findings
        ["Summaries"] = 7, // budgeted text
        [""] = 8, // the façade: QueryEngine, options, results
        ["Protocol"] = 9, // JSON-RPC server: parse, validate, dispatch, serialize
        ["DependencyInjection"] = 10, // services.AddTraceQuery (registers the engine and the server)
    };

    private static readonly HashSet<(string From, string To)> AllowedSameRank = [];

    [TestMethod]
    public void Sources_EachFolderUsesOnlyEarlierLayers_ThenNoBreakNamedByFileAndLine()
    {
        var breaks = new List<string>();
        var rootTypes = RootTypeNames();
        var folderTypes = FolderTypeNames();
        Assert.IsTrue(rootTypes.Contains("QueryEngine"), "the façade's types were not found: the scan is broken");

        foreach (var (file, folder) in SourceFiles())
        {
            string[] lines = StripCommentsAndStrings(File.ReadAllText(file)).Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                foreach (Match match in NamespaceUse().Matches(lines[i]))
                {
                    string target = match.Groups["folder"].Value;
                    bool internals = match.Groups["internals"].Success;
                    if (!LayerOrder.ContainsKey(target))
                        continue;
                    if (internals && target != folder)
                        breaks.Add($"{Relative(file)}:{i + 1}: {Show(folder)} uses {Show(target)}'s Internals (`{match.Value.Trim()}`): promote what both need out of Internals, or move it");
                    else if (!MayUse(folder, target))
                        breaks.Add($"{Relative(file)}:{i + 1}: {Show(folder)} uses {Show(target)} (`{match.Value.Trim()}`), which stands after it in the data flow");
                }

                // Inside namespace TraceQuery.X, another folder's types can be named relatively: Formats.TraceFile.
                foreach (Match match in RelativeUse().Matches(lines[i]))
                {
                    string target = match.Groups["folder"].Value;
                    if (target != folder && LayerOrder.ContainsKey(target) && folderTypes.TryGetValue(target, out var types)
                        && types.Contains(match.Groups["type"].Value) && !MayUse(folder, target))
                    {
                        breaks.Add($"{Relative(file)}:{i + 1}: {Show(folder)} uses {Show(target)} (`{match.Value.Trim()}`), which stands after it in the data flow");
                    }
                }

                if (folder.Length > 0 && LayerOrder[folder] < LayerOrder[""])
                {
                    // Files in TraceQuery.X see the root namespace's types without a using: look for their names.
                    foreach (Match word in Identifier().Matches(lines[i]))
                    {
                        if (rootTypes.Contains(word.Value))
                            breaks.Add($"{Relative(file)}:{i + 1}: {Show(folder)} uses the façade's type {word.Value}, which stands after it in the data flow");
                    }
                }

                if (folder != "" && RootInternalsUse().IsMatch(lines[i]))
                    breaks.Add($"{Relative(file)}:{i + 1}: {Show(folder)} uses the façade's Internals (TraceQuery.Internals)");
            }
        }

        Assert.IsEmpty(breaks, "Layering breaks (rules in LayeringTests.LayerOrder):\n" + string.Join("\n", breaks));
    }

    [TestMethod]
    public void Rules_KnownBreak_ThenDetected()
    {
        // The scanner itself: a Model file that names a reader and a filter's internals must be reported.
        string sample = "using TraceQuery.Formats;\nstring t = $\"{(a ? \"x\" : \"y\")} {b:0.#}\";\nvar x = TraceQuery.Filtering.Internals.FilterCompiler.Compile();\n// TraceQuery.Summaries in a comment is fine\nstring s = \"TraceQuery.Protocol\" + $\"{TraceQuery.Analysis.X.Y}\";";
        string[] lines = StripCommentsAndStrings(sample).Split('\n');
        var targets = lines.SelectMany(l => NamespaceUse().Matches(l)).Select(m => (m.Groups["folder"].Value, m.Groups["internals"].Success)).ToList();
        CollectionAssert.AreEqual(new[] { ("Formats", false), ("Filtering", true), ("Analysis", false) }, targets);
        Assert.IsFalse(MayUse("Model", "Formats"));
        Assert.IsTrue(MayUse("Formats", "Model"));
        Assert.IsTrue(MayUse("", "Summaries"));
        Assert.IsFalse(MayUse("Summaries", ""));
    }

    private static bool MayUse(string from, string to)
    {
        if (from == to)
            return true;
        int a = LayerOrder[from], b = LayerOrder[to];
        return b < a || (a == b && AllowedSameRank.Contains((from, to)));
    }

    private static IEnumerable<(string File, string Folder)> SourceFiles()
    {
        string library = Path.Combine(TestPaths.RepositoryRoot, "src", "TraceQuery");
        foreach (string file in Directory.EnumerateFiles(library, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(library, file).Replace('\\', '/');
            if (relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal))
                continue;
            int slash = relative.IndexOf('/', StringComparison.Ordinal);
            string folder = slash < 0 ? "" : relative[..slash];
            if (folder == "Internals")
                folder = ""; // the façade's own helpers
            Assert.IsTrue(LayerOrder.ContainsKey(folder), $"src/TraceQuery/{relative}: folder '{folder}' has no place in LayeringTests.LayerOrder; add it where it belongs in the data flow");
            yield return (file, folder);
        }
    }

    private static Dictionary<string, HashSet<string>> FolderTypeNames()
    {
        var names = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (file, folder) in SourceFiles())
        {
            if (!names.TryGetValue(folder, out var set))
                names[folder] = set = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match match in TypeDeclaration().Matches(StripCommentsAndStrings(File.ReadAllText(file))))
                set.Add(match.Groups["name"].Value);
        }
        return names;
    }

    private static HashSet<string> RootTypeNames()
    {
        string library = Path.Combine(TestPaths.RepositoryRoot, "src", "TraceQuery");
        var names = new HashSet<string>(StringComparer.Ordinal);
        var files = Directory.EnumerateFiles(library, "*.cs", SearchOption.TopDirectoryOnly)
            .Concat(Directory.Exists(Path.Combine(library, "Internals")) ? Directory.EnumerateFiles(Path.Combine(library, "Internals"), "*.cs") : []);
        foreach (string file in files)
        {
            foreach (Match match in TypeDeclaration().Matches(StripCommentsAndStrings(File.ReadAllText(file))))
                names.Add(match.Groups["name"].Value);
        }
        return names;
    }

    /// <summary>
    /// Blanks out comments, string and char literals (keeping line breaks) so that only code is scanned; the holes of
    /// interpolated strings are code and stay, with their own nested strings blanked.
    /// </summary>
    internal static string StripCommentsAndStrings(string code)
    {
        var text = new StringBuilder(code.Length);
        int i = 0;
        ScanCode(code, ref i, text, inHole: false);
        return text.ToString();
    }

    private static void ScanCode(string code, ref int i, StringBuilder text, bool inHole)
    {
        int depth = 0;
        while (i < code.Length)
        {
            char c = code[i];
            if (c == '/' && Peek(code, i + 1) == '/')
            {
                while (i < code.Length && code[i] != '\n')
                    i++;
            }
            else if (c == '/' && Peek(code, i + 1) == '*')
            {
                i += 2;
                while (i < code.Length && !(code[i] == '*' && Peek(code, i + 1) == '/'))
                {
                    if (code[i] == '\n')
                        text.Append('\n');
                    i++;
                }
                i = Math.Min(code.Length, i + 2);
            }
            else if (c == '\'')
            {
                i++;
                while (i < code.Length && code[i] != '\'')
                    i += code[i] == '\\' ? 2 : 1;
                i++;
                text.Append("''");
            }
            else if (c == '"')
            {
                SkipString(code, ref i, text);
            }
            else if (inHole && c == '{')
            {
                depth++;
                text.Append(c);
                i++;
            }
            else if (inHole && c == '}')
            {
                if (depth == 0)
                    return; // the caller consumes the hole's closing brace
                depth--;
                text.Append(c);
                i++;
            }
            else
            {
                text.Append(c);
                i++;
            }
        }
    }

    private static void SkipString(string code, ref int i, StringBuilder text)
    {
        int p = i - 1;
        bool verbatim = false;
        int dollars = 0;
        while (p >= 0 && (code[p] == '@' || code[p] == '$'))
        {
            if (code[p] == '@')
                verbatim = true;
            else
                dollars++;
            p--;
        }

        int quotes = 0;
        while (i + quotes < code.Length && code[i + quotes] == '"')
            quotes++;
        if (quotes >= 3)
        {
            // Raw string literal: ends at the same run of quotes (holes of interpolated raw strings are not scanned).
            string fence = new('"', quotes);
            int end = code.IndexOf(fence, i + quotes, StringComparison.Ordinal);
            end = end < 0 ? code.Length : end + quotes;
            text.Append('\n', code.AsSpan(i, end - i).Count('\n'));
            text.Append("\"\"");
            i = end;
            return;
        }

        i++;
        while (i < code.Length)
        {
            char c = code[i];
            if (c == '"')
            {
                if (verbatim && Peek(code, i + 1) == '"')
                {
                    i += 2;
                    continue;
                }
                i++;
                break;
            }
            if (c == '\\' && !verbatim)
            {
                i += 2;
                continue;
            }
            if (dollars > 0 && c == '{')
            {
                if (Peek(code, i + 1) == '{')
                {
                    i += 2;
                    continue;
                }
                i++;
                ScanCode(code, ref i, text, inHole: true);
                i++;
                continue;
            }
            if (c == '\n')
                text.Append('\n');
            i++;
        }
        text.Append("\"\"");
    }

    private static char Peek(string code, int index) => index < code.Length ? code[index] : '\0';

    private static string Relative(string file) => Path.GetRelativePath(TestPaths.RepositoryRoot, file).Replace('\\', '/');

    private static string Show(string folder) => folder.Length == 0 ? "the façade (src/TraceQuery/*.cs)" : folder;

    [GeneratedRegex(@"\bTraceQuery\.(?<folder>[A-Z][A-Za-z]*)(?<internals>\.Internals)?\b")]
    private static partial Regex NamespaceUse();

    [GeneratedRegex(@"(?<![\w.])(?<folder>[A-Z][A-Za-z]*)\.(?<type>[A-Z][A-Za-z0-9]*)\b")]
    private static partial Regex RelativeUse();

    [GeneratedRegex(@"\bTraceQuery\.Internals\b")]
    private static partial Regex RootInternalsUse();

    [GeneratedRegex(@"\b[A-Z][A-Za-z0-9]*\b")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"\b(?:class|struct|record|interface|enum)\s+(?:struct\s+|class\s+)?(?<name>[A-Z][A-Za-z0-9]*)")]
    private static partial Regex TypeDeclaration();
}
