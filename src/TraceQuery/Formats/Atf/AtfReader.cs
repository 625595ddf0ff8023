using System.Globalization;
using TraceQuery.Model;
using static TraceQuery.Formats.Atf.AtfIndexFile;

namespace TraceQuery.Formats.Atf;

/// <summary>
/// Reads an ATF v2 session directory (<c>manifest.json</c>, <c>thread_N/index.atf</c>, optional
/// <c>thread_N/detail.atf</c>) into a <see cref="ExecutionTrace"/>. Index files are memory-mapped and turned into
/// columns in one pass; detail files stay mapped for O(1) lookups until the trace is disposed.
/// </summary>
/// <remarks>
/// What a killed tracer leaves is recovered and reported in <see cref="TraceThread.Recovery"/> and
/// <see cref="TraceMetadata.Warnings"/>: no manifest, index files without footers or 0 bytes long,
/// detail files cut mid-record, dangling detail links, unsorted or duplicated events.
/// </remarks>
public static class AtfReader
{
    /// <summary>True when <paramref name="directory"/> looks like an ATF session (a manifest or a <c>thread_N/index.atf</c>).</summary>
    public static bool IsSession(string directory) =>
        Directory.Exists(directory)
        && (File.Exists(Path.Combine(directory, AtfLayout.ManifestFileName)) || FindThreadDirectories(directory).Count > 0);

    /// <summary>Opens a session directory.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="TraceFormatException">It is not an ATF session, or a file in it is damaged beyond recovery.</exception>
    public static ExecutionTrace Open(string directory, AtfReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= AtfReadOptions.Default;
        options.Validate();
        directory = Path.GetFullPath(directory);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"ATF session directory not found: {directory}");

        var warnings = new List<string>();
        string manifestPath = Path.Combine(directory, AtfLayout.ManifestFileName);
        AtfManifest? manifest = File.Exists(manifestPath) ? AtfManifest.FromUtf8File(manifestPath, options) : null;
        var threadDirectories = FindThreadDirectories(directory);

        if (manifest is null)
        {
            if (threadDirectories.Count == 0)
            {
                throw new TraceFormatException(directory, null,
                    "not an ATF session: there is neither a manifest.json nor any thread_N/index.atf. Pass the session directory the tracer wrote.");
            }
            warnings.Add("manifest.json is missing (the tracer stopped before the session ended): threads were taken from the thread_N directories and function names are unknown.");
        }
        else
        {
            foreach (var declared in manifest.Threads)
            {
                if (!threadDirectories.ContainsKey(declared.Id))
                    warnings.Add(Invariant($"thread {declared.Id} is listed in manifest.json but has no thread_{declared.Id}/index.atf (it never wrote anything)."));
            }
            var declaredIds = new HashSet<uint>(manifest.Threads.Select(t => t.Id));
            foreach (uint id in threadDirectories.Keys)
            {
                if (!declaredIds.Contains(id))
                    warnings.Add(Invariant($"thread_{id} exists on disk but is not listed in manifest.json; it was read anyway."));
            }
        }

        var indexFiles = new List<AtfIndexFile>(threadDirectories.Count);
        var detailFiles = new AtfDetailFile?[threadDirectories.Count];
        bool keepDetails = false;
        try
        {
            var inputs = new List<ThreadInput>(threadDirectories.Count);
            byte arch = 0, os = 0, headerClock = 0;
            long totalEvents = 0;
            int t = 0;
            foreach (var (id, threadDirectory) in threadDirectories)
            {
                // The CRC-32 is verified by the column builder, in parallel and in the same pass over the events.
                var index = AtfIndexFile.Open(Path.Combine(threadDirectory, AtfLayout.IndexFileName), options, deferChecksum: true);
                indexFiles.Add(index);
                totalEvents += index.EventCount;
                if (totalEvents > options.MaxEvents)
                {
                    throw new TraceFormatException(index.Path, null,
                        Invariant($"the session holds at least {totalEvents:N0} events (through thread_{id}), more than the {options.MaxEvents:N0} AtfReadOptions.MaxEvents allows; raise the limit or open a smaller session."));
                }
                if (totalEvents > Array.MaxLength)
                {
                    throw new TraceFormatException(index.Path, null,
                        Invariant($"the session holds at least {totalEvents:N0} events (through thread_{id}); at most {Array.MaxLength:N0} can be loaded at once."));
                }
                if (index.Header is { } header)
                {
                    if (arch == 0)
                        (arch, os, headerClock) = (header.Arch, header.Os, header.ClockType);
                    if (header.ThreadId != id)
                        warnings.Add(Invariant($"thread_{id}/index.atf says thread id {header.ThreadId} in its header; events must carry {id}."));
                }

                string detailPath = Path.Combine(threadDirectory, AtfLayout.DetailFileName);
                AtfDetailFile? detail = File.Exists(detailPath) ? AtfDetailFile.Open(detailPath, options) : null;
                detailFiles[t] = detail;

                inputs.Add(new ThreadInput
                {
                    ThreadId = id,
                    Events = index.SourceFor(options.EventAccess),
                    DetailRecordCount = (uint)(detail?.RecordCount ?? 0),
                    DetailComplete = detail is { IsFinalized: true },
                    ExpectedChecksum = index.ExpectedChecksum,
                    Recovery = new ThreadRecovery
                    {
                        IndexFinalized = index.IsFinalized,
                        IndexEmptyFile = index.IsEmptyFile,
                        DetailFinalized = detail?.IsFinalized ?? false,
                        EventsRecovered = index.IsFinalized ? 0 : index.EventCount,
                        IndexBytesIgnored = index.BytesIgnored,
                        DetailBytesIgnored = detail?.BytesIgnored ?? 0,
                    },
                });
                t++;
            }

            var columns = TraceColumnBuilder.Build(inputs, out var error);
            if (error is { } e)
                throw DefectException(indexFiles[e.ThreadIndex], e);

            var symbols = manifest is null ? SymbolTable.Empty : new SymbolTable(manifest.Modules, manifest.Symbols);
            var metadata = new TraceMetadata
            {
                SourceFormat = "atf",
                SourcePath = directory,
                FormatVersion = manifest?.FormatVersion,
                Os = (TraceOs)os,
                Arch = (TraceArch)arch,
                ClockType = (TraceClock)(manifest?.ClockType ?? headerClock),
                ManifestPresent = manifest is not null,
                Warnings = warnings,
            };
            bool anyDetail = detailFiles.Any(d => d is not null);
            var trace = new ExecutionTrace(columns, symbols, metadata, anyDetail ? new AtfDetailStore(detailFiles) : null);
            keepDetails = anyDetail;
            return trace;
        }
        finally
        {
            foreach (var index in indexFiles)
                index.Dispose();
            if (!keepDetails)
            {
                foreach (var detail in detailFiles)
                    detail?.Dispose();
            }
        }
    }

    private static TraceFormatException DefectException(AtfIndexFile file, ColumnBuildError e)
    {
        long eventOffset = (long)(file.Header?.EventsOffset ?? AtfLayout.HeaderSize) + ((long)e.Position * AtfLayout.EventSize);
        return e.Defect switch
        {
            EventDefect.ChecksumMismatch => ChecksumMismatch(file.Path, (long)(file.Header?.FooterOffset ?? 0), file.ExpectedChecksum, e.ActualChecksum),
            EventDefect.InvalidKind => new TraceFormatException(file.Path, eventOffset + 20,
                Invariant($"event {e.Position} has kind {(uint)e.Event.Kind}; ATF v2 kinds are 1 (call), 2 (return) and 3 (exception).")),
            EventDefect.ThreadIdMismatch => new TraceFormatException(file.Path, eventOffset + 16,
                Invariant($"event {e.Position} carries thread id {e.Event.ThreadId}, but the file belongs to thread {file.Header?.ThreadId}.")),
            EventDefect.TimestampOutOfRange => new TraceFormatException(file.Path, eventOffset,
                Invariant($"event {e.Position} has timestamp {e.Event.TimestampNs} ns, beyond the supported range (2^63 ns).")),
            _ => new TraceFormatException(file.Path, eventOffset + 28,
                Invariant($"event {e.Position} links detail record {e.Event.DetailSeq}, but the thread's complete detail.atf has fewer records.")),
        };
    }

    private static SortedDictionary<uint, string> FindThreadDirectories(string directory)
    {
        var found = new SortedDictionary<uint, string>();
        foreach (string path in Directory.EnumerateDirectories(directory, AtfLayout.ThreadDirectoryPrefix + "*"))
        {
            string name = Path.GetFileName(path);
            if (uint.TryParse(name.AsSpan(AtfLayout.ThreadDirectoryPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out uint id)
                && File.Exists(Path.Combine(path, AtfLayout.IndexFileName)))
            {
                found[id] = path;
            }
        }
        return found;
    }
}
