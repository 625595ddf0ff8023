using TraceQuery.Formats;
using TraceQuery.Formats.Atf;
using TraceQuery.Model;

namespace TraceQuery.Fleet;

/// <summary>
/// A set of traces (a folder of runs, or a list of paths), listed once and opened lazily one at a time, so work over
/// the set holds at most the traces being worked on. Entries are sorted by name (ordinal), so every pass over a set
/// visits the same traces in the same order.
/// </summary>
public sealed class TraceSet
{
    private static readonly string[] JsonExtensions = [".json", ".jsonl", ".ndjson", ".pftrace", ".perfetto-trace", ".pftrace.gz", ".perfetto-trace.gz"];

    private TraceSet(string root, IReadOnlyList<TraceSetEntry> entries, IReadOnlyList<string> skipped)
    {
        Root = root;
        Entries = entries;
        Skipped = skipped;
    }

    /// <summary>The folder the names are relative to (a single trace: its parent folder).</summary>
    public string Root { get; }

    /// <summary>The traces, sorted by <see cref="TraceSetEntry.Name"/> (ordinal).</summary>
    public IReadOnlyList<TraceSetEntry> Entries { get; }

    /// <summary>What listing passed over and why (links, JSON files that are not traces), sorted; names relative to <see cref="Root"/>.</summary>
    public IReadOnlyList<string> Skipped { get; }

    /// <summary>Number of traces.</summary>
    public int Count => Entries.Count;

    /// <summary>
    /// Lists the traces at <paramref name="path"/>: the trace itself when it is one (an ATF session directory or a
    /// Chrome/OTLP JSON file), else every trace under the folder, recursively — an ATF session directory is one trace
    /// (nothing inside it is listed), and <c>.json</c>, <c>.jsonl</c>, <c>.ndjson</c> and Perfetto (<c>.pftrace</c>, <c>.perfetto-trace</c>, gzipped too) files whose first bytes are a
    /// supported format are traces. Symbolic links are not followed. O(files) plus 64 KiB read per JSON file.
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing exists at the path.</exception>
    /// <exception cref="TraceFormatException">The path is a file that is not a trace, or a folder that holds none.</exception>
    public static TraceSet FromPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));
        if (File.Exists(full))
        {
            var format = TraceFile.DetectFormat(full);
            if (format == TraceFileFormat.Unknown)
                throw new TraceFormatException(full, null, "not a trace this library reads: expected an ATF session directory, Chrome Trace Event JSON or OTLP/JSON, or a folder of them.");
            return new TraceSet(System.IO.Path.GetDirectoryName(full)!, [new TraceSetEntry(System.IO.Path.GetFileName(full), full, format, new FileInfo(full).Length)], []);
        }
        if (!Directory.Exists(full))
            throw new FileNotFoundException($"No trace or folder of traces at {full}.", full);
        if (AtfReader.IsSession(full))
            return new TraceSet(System.IO.Path.GetDirectoryName(full) ?? full, [new TraceSetEntry(System.IO.Path.GetFileName(full), full, TraceFileFormat.Atf, DirectoryBytes(full))], []);

        var entries = new List<TraceSetEntry>();
        var skipped = new List<string>();
        Walk(full, full, entries, skipped);
        if (entries.Count == 0)
        {
            throw new TraceFormatException(full, null,
                "this folder holds no traces: expected ATF session directories or Chrome/OTLP JSON files (.json, .jsonl, .ndjson) in it or below it"
                + (skipped.Count > 0 ? $" ({skipped.Count} entries skipped: {string.Join("; ", skipped.Take(3))})." : "."));
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        skipped.Sort(StringComparer.Ordinal);
        return new TraceSet(full, entries, skipped);
    }

    /// <summary>
    /// A set of the given traces, each named by its last path segment (a session directory's name, a file's name).
    /// </summary>
    /// <exception cref="ArgumentException">Two paths have the same last segment; use <see cref="FromPath"/> on their folder instead.</exception>
    /// <exception cref="FileNotFoundException">A path does not exist.</exception>
    /// <exception cref="TraceFormatException">A path is not a trace.</exception>
    public static TraceSet FromPaths(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var entries = new List<TraceSetEntry>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (string path in paths)
        {
            var single = FromPath(path);
            if (single.Count != 1 || !string.Equals(single.Entries[0].Path, System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path)), StringComparison.Ordinal))
                throw new TraceFormatException(System.IO.Path.GetFullPath(path), null, "is a folder of traces, not a trace; list the traces themselves or open the folder with TraceSet.FromPath.");
            var entry = single.Entries[0];
            if (!names.Add(entry.Name))
                throw new ArgumentException($"Two traces are both named '{entry.Name}'; names must be unique within a set. Put them in one folder and use TraceSet.FromPath.", nameof(paths));
            entries.Add(entry);
        }
        if (entries.Count == 0)
            throw new ArgumentException("The list of traces is empty.", nameof(paths));
        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        string root = entries.Select(e => System.IO.Path.GetDirectoryName(e.Path) ?? e.Path).Distinct(StringComparer.Ordinal).Count() == 1
            ? System.IO.Path.GetDirectoryName(entries[0].Path) ?? entries[0].Path
            : "";
        return new TraceSet(root, entries, []);
    }

    /// <summary>Opens one trace of the set (the caller disposes it).</summary>
    /// <exception cref="TraceFormatException">The trace is damaged beyond recovery.</exception>
    public static ExecutionTrace Open(TraceSetEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return TraceFile.Open(entry.Path);
    }

    /// <summary>Total bytes on disk of every trace in the set.</summary>
    public long TotalBytes => Entries.Sum(e => e.Bytes);

    private static void Walk(string root, string directory, List<TraceSetEntry> entries, List<string> skipped)
    {
        var children = new DirectoryInfo(directory).GetFileSystemInfos();
        Array.Sort(children, (a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (var child in children)
        {
            string name = System.IO.Path.GetRelativePath(root, child.FullName).Replace('\\', '/');
            if (child.LinkTarget is not null)
            {
                skipped.Add(name + ": a symbolic link (not followed)");
                continue;
            }
            if (child is DirectoryInfo dir)
            {
                if (AtfReader.IsSession(dir.FullName))
                    entries.Add(new TraceSetEntry(name, dir.FullName, TraceFileFormat.Atf, DirectoryBytes(dir.FullName)));
                else
                    Walk(root, dir.FullName, entries, skipped);
                continue;
            }
            if (!JsonExtensions.Any(e => child.Name.EndsWith(e, StringComparison.OrdinalIgnoreCase))
                && !TraceFile.Readers.Any(r => child.Name.EndsWith(r.Extension, StringComparison.OrdinalIgnoreCase)))
                continue;
            var format = TraceFile.DetectFormat(child.FullName);
            if (format == TraceFileFormat.Unknown)
                skipped.Add(name + ": not Chrome Trace Event JSON, OTLP/JSON or a Perfetto trace");
            else
                entries.Add(new TraceSetEntry(name, child.FullName, format, ((FileInfo)child).Length));
        }
    }

    private static long DirectoryBytes(string directory)
    {
        long bytes = 0;
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2 }))
            bytes += file.Length;
        return bytes;
    }
}
