using System.Text;
using TraceQuery.Model;
using TraceQuery.Summaries.Internals;
using TraceQuery.Text;

namespace TraceQuery.Summaries;

/// <summary>Renders a trace's vital facts (source, threads, recovery, warnings) and its first events as plain text.</summary>
public static class TraceInfoText
{
    /// <summary>
    /// Renders the info block followed by the first <paramref name="firstEvents"/> events merged across threads
    /// by time. Deterministic: the source is named by its last path segment only.
    /// </summary>
    public static string Render(ExecutionTrace trace, int firstEvents = 10)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentOutOfRangeException.ThrowIfNegative(firstEvents);
        var m = trace.Metadata;
        var text = new StringBuilder();
        string source = m.SourcePath is null ? "(in memory)" : Path.GetFileName(Path.TrimEndingDirectorySeparator(m.SourcePath));
        text.Append("trace: ").Append(source).Append(" · format ").Append(m.SourceFormat);
        if (m.FormatVersion is not null)
            text.Append(' ').Append(m.FormatVersion);
        text.Append(" · ").Append(Name(m.Os)).Append(' ').Append(Name(m.Arch)).Append(" · clock ").Append(Name(m.ClockType)).Append('\n');
        text.Append("events: ").Append(TraceText.Count(trace.EventCount))
            .Append(" on ").Append(TraceText.Count(trace.Threads.Count)).Append(trace.Threads.Count == 1 ? " thread" : " threads")
            .Append(" · span ").Append(TraceText.Duration(trace.TimeEndNs - trace.TimeStartNs))
            .Append(" (").Append(trace.TimeStartNs).Append(" .. ").Append(trace.TimeEndNs).Append(" ns)\n");
        text.Append("symbols: ").Append(TraceText.Count(trace.FunctionIds.Length)).Append(" functions called, ")
            .Append(TraceText.Count(trace.Symbols.Symbols.Count)).Append(" named, in ")
            .Append(TraceText.Count(trace.Symbols.Modules.Count)).Append(" modules")
            .Append(m.ManifestPresent ? "" : " · no manifest").Append('\n');
        if (SourceCounts.RecordsLine(trace) is { } records)
            text.Append(records).Append('\n');
        foreach (string line in SourceCounts.ExtraLines(trace))
            text.Append(line).Append('\n');

        foreach (var thread in trace.Threads)
        {
            text.Append("thread ").Append(thread.Id).Append(SourceCounts.ThreadLabel(thread)).Append(": ").Append(TraceText.Count(thread.Count)).Append(" events");
            if (thread.DetailRecordCount > 0)
                text.Append(", ").Append(TraceText.Count(thread.DetailRecordCount)).Append(" detail records");
            text.Append(" · ").Append(Describe(thread.Recovery)).Append('\n');
        }
        foreach (string warning in m.Warnings)
            text.Append("warning: ").Append(warning).Append('\n');

        int shown = Math.Min(firstEvents, trace.EventCount);
        if (shown > 0)
        {
            text.Append("first ").Append(shown).Append(" events (all threads, by time):\n");
            var merged = trace.GetMergedOrder();
            for (int i = 0; i < shown; i++)
            {
                int e = merged[i];
                text.Append("  +").Append(TraceText.Duration(trace.Timestamps[e] - trace.TimeStartNs)).Append("  ")
                    .Append(trace.GetEventRef(e)).Append("  ")
                    .Append(TraceText.KindInLine(trace.Kinds[e])).Append(' ')
                    .Append(trace.GetFunctionName(trace.FunctionOrdinals[e]))
                    .Append(" (").Append(trace.Symbols.GetModuleName(trace.GetFunctionId(e))).Append(") depth ")
                    .Append(trace.Depths[e]);
                if (trace.DetailSeqs[e] != TraceEvent.NoDetail)
                    text.Append(" detail#").Append(trace.DetailSeqs[e]);
                text.Append('\n');
            }
        }
        return text.ToString();
    }

    private static string Describe(ThreadRecovery r)
    {
        if (r.IsComplete)
            return "complete";
        var parts = new List<string>();
        if (r.IndexEmptyFile)
            parts.Add("index.atf is empty (nothing reached the disk)");
        else if (!r.IndexFinalized)
            parts.Add($"no footer: {TraceText.Count(r.EventsRecovered)} events recovered");
        if (r.IndexBytesIgnored > 0)
            parts.Add($"{TraceText.Count(r.IndexBytesIgnored)} index bytes ignored");
        if (r.DetailBytesIgnored > 0)
            parts.Add($"{TraceText.Count(r.DetailBytesIgnored)} detail bytes ignored");
        if (r.DetailLinksDropped > 0)
            parts.Add($"{TraceText.Count(r.DetailLinksDropped)} detail links dropped");
        if (r.DuplicatesRemoved > 0)
            parts.Add($"{TraceText.Count(r.DuplicatesRemoved)} duplicate events removed");
        if (r.Reordered)
            parts.Add("events sorted by time");
        if (r.SpansWithMissingParent > 0)
        {
            string missing = $"{TraceText.Count(r.SpansWithMissingParent)} span{(r.SpansWithMissingParent == 1 ? "" : "s")} whose parent is not in the file";
            if (parts.Count == 0)
                return "not complete: " + missing;
            parts.Add(missing);
        }
        return "recovered: " + string.Join(", ", parts);
    }

    private static string Name(TraceOs os) => os switch
    {
        TraceOs.IOS => "ios",
        TraceOs.Android => "android",
        TraceOs.MacOS => "macos",
        TraceOs.Linux => "linux",
        TraceOs.Windows => "windows",
        _ => "unknown-os",
    };

    private static string Name(TraceArch arch) => arch switch
    {
        TraceArch.X86_64 => "x86_64",
        TraceArch.Arm64 => "arm64",
        _ => "unknown-arch",
    };

    private static string Name(TraceClock clock) => clock switch
    {
        TraceClock.MachContinuous => "mach_continuous",
        TraceClock.Qpc => "qpc",
        TraceClock.BootTime => "boottime",
        _ => "unknown",
    };
}
