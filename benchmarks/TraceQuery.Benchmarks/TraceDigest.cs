using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TraceQuery.Formats;
using TraceQuery.Model;

namespace TraceQuery.Benchmarks;

/// <summary>
/// <c>-- digest FILE…</c>: one SHA-256 per trace file over everything a reader built (columns, threads, metadata,
/// messages, attributes, span events, marks, error statuses, links, paired spans), so two builds of the library can be
/// shown to build byte-identical traces from the same files (issue 18's lean <c>TraceBuilder.Build</c>).
/// </summary>
public static class TraceDigest
{
    /// <summary>Prints each file's digest and event count.</summary>
    public static void Run(IEnumerable<string> paths)
    {
        foreach (string path in paths)
        {
            string digest;
            try
            {
                using var trace = TraceFile.Open(path);
                digest = Digest(trace);
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or ArgumentException or NotSupportedException or IOException)
            {
                digest = "error " + e.GetType().Name + ": " + e.Message;
            }
            Console.WriteLine($"{Path.GetFileName(path)} {digest}");
        }
    }

    private static string Digest(ExecutionTrace trace)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var text = new StringBuilder();
        void Flush()
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text.ToString()));
            text.Clear();
        }
        void Line(FormattableString line)
        {
            text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');
            if (text.Length > 1 << 16)
                Flush();
        }
        var m = trace.Metadata;
        Line($"meta {m.SourceFormat} {m.UnresolvedLinks} {m.ClippedAttributeValues} {m.DroppedAttributes} {m.CpuSamples} {string.Join("|", m.Warnings)}");
        foreach (var t in trace.Threads)
            Line($"thread {t.Index} {t.Id} {t.Start} {t.Count} {t.Name} {t.Recovery} {t.Track} {t.ProcessId} {t.ProcessName} {t.OriginalThreadId}");
        foreach (ulong id in trace.FunctionIds)
            Line($"fn {id}");
        var ts = trace.Timestamps;
        var ord = trace.FunctionOrdinals;
        var kinds = trace.Kinds;
        var depths = trace.Depths;
        for (int e = 0; e < trace.EventCount; e++)
        {
            Line($"e {ts[e]} {ord[e]} {kinds[e]} {depths[e]}");
            if (trace.TryGetMessage(e, out string message))
                Line($"msg {message}");
            if (trace.TryGetAttributes(e, out var attributes))
                Line($"attr {attributes.DroppedCount} {string.Join("|", attributes.Select(a => a.Key + "=" + a.Value))}");
            foreach (var spanEvent in trace.GetSpanEvents(e))
                Line($"sev {spanEvent.TimestampNs} {spanEvent.Name} {string.Join("|", spanEvent.Attributes.Select(a => a.Key + "=" + a.Value))}");
            if (trace.GetMarks(e) != SpanMarks.None)
                Line($"mark {trace.GetMarks(e)}");
            if (trace.TryGetErrorStatus(e, out string status))
                Line($"err {status}");
        }
        foreach (var link in trace.Links)
            Line($"link {link}");
        var spans = trace.Spans;
        for (int s = 0; s < spans.Count; s++)
            Line($"span {spans.StartEvents[s]} {spans.EndEvents[s]} {spans.Parents[s]} {spans.Statuses[s]} {spans.RaisedException(s)}");
        Flush();
        return $"{trace.EventCount} events {Convert.ToHexString(hash.GetHashAndReset())[..16]}";
    }
}
