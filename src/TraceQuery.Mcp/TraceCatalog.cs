using TraceQuery.Formats;
using TraceQuery.Formats.Atf;

namespace TraceQuery.Mcp;

/// <summary>
/// The traces under a root, as a client names them: ATF session directories and Chrome/OTLP JSON files, two levels deep,
/// relative with '/' and sorted ordinally (the root itself is ".", when it is a session). Read from disk on each call.
/// </summary>
internal static class TraceCatalog
{
    /// <summary>One trace under the root.</summary>
    /// <param name="Name">The <c>trace</c> argument that names it, e.g. "runs/crash1" or "app.json"; "." for the root itself.</param>
    /// <param name="FullPath">Where it is.</param>
    /// <param name="Format">ATF, Chrome JSON or OTLP JSON.</param>
    public sealed record Entry(string Name, string FullPath, TraceFileFormat Format);

    /// <summary>The traces under <paramref name="root"/>, sorted by name; unreadable directories are skipped.</summary>
    public static IReadOnlyList<Entry> List(string root)
    {
        if (AtfReader.IsSession(root))
            return [new Entry(".", Path.GetFullPath(root), TraceFileFormat.Atf)];
        var found = new List<Entry>();
        found.AddRange(JsonTraces(root, ""));
        foreach (string first in SafeDirectories(root))
        {
            string firstName = Path.GetFileName(first);
            found.AddRange(JsonTraces(first, firstName + "/"));
            if (AtfReader.IsSession(first))
            {
                found.Add(new Entry(firstName, first, TraceFileFormat.Atf));
                continue;
            }
            foreach (string second in SafeDirectories(first))
            {
                if (AtfReader.IsSession(second))
                    found.Add(new Entry(firstName + "/" + Path.GetFileName(second), second, TraceFileFormat.Atf));
            }
        }
        found.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return found;
    }

    /// <summary>Bytes of the trace: the file's length, or the files of a session directory (its thread directories included).</summary>
    public static long SizeInBytes(Entry entry)
    {
        try
        {
            if (entry.Format != TraceFileFormat.Atf)
                return new FileInfo(entry.FullPath).Length;
            var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 1, IgnoreInaccessible = true };
            return new DirectoryInfo(entry.FullPath).EnumerateFiles("*", options).Sum(f => f.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>The .json/.jsonl/.pftrace/.perfetto-trace files (gzipped or not) of a directory whose content is a Chrome, OTLP or Perfetto trace.</summary>
    private static IEnumerable<Entry> JsonTraces(string directory, string prefix)
    {
        string[] files;
        try
        {
            files = Directory.GetFiles(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        foreach (string file in files)
        {
            string name = file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? file[..^3] : file;
            if (!name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !name.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
                && !name.EndsWith(".pftrace", StringComparison.OrdinalIgnoreCase) && !name.EndsWith(".perfetto-trace", StringComparison.OrdinalIgnoreCase)
                && !TraceFile.Readers.Any(r => file.EndsWith(r.Extension, StringComparison.OrdinalIgnoreCase)))
                continue;
            TraceFileFormat format;
            try
            {
                format = TraceFile.DetectFormat(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (format is TraceFileFormat.ChromeJson or TraceFileFormat.OtlpJson or TraceFileFormat.Registered or TraceFileFormat.PerfettoProtobuf)
                yield return new Entry(prefix + Path.GetFileName(file), file, format);
        }
    }

    private static string[] SafeDirectories(string directory)
    {
        try
        {
            return Directory.GetDirectories(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
