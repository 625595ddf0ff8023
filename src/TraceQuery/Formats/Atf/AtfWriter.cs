using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using TraceQuery.Model;

namespace TraceQuery.Formats.Atf;

/// <summary>
/// Writes a <see cref="ExecutionTrace"/> as an ATF v2 session directory, the way the original tracer lays it out
/// (header, events, footer; detail records; manifest with symbols) but with real CRC32 checksums.
/// Reading the result and writing it again gives the same bytes.
/// </summary>
public static class AtfWriter
{
    /// <summary>Writes <paramref name="trace"/> into <paramref name="directory"/> (created if needed; existing session files are replaced).</summary>
    public static void Write(ExecutionTrace trace, string directory)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);

        var manifestThreads = new List<AtfManifestThread>(trace.Threads.Count);
        byte arch = (byte)trace.Metadata.Arch, os = (byte)trace.Metadata.Os, clock = (byte)trace.Metadata.ClockType;
        foreach (var thread in trace.Threads)
        {
            string threadDirectory = Path.Combine(directory, AtfLayout.ThreadDirectoryPrefix + thread.Id.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(threadDirectory);
            int records = trace.Details?.GetRecordCount(thread.Index) ?? 0;
            string detailPath = Path.Combine(threadDirectory, AtfLayout.DetailFileName);
            if (records > 0)
                WriteDetail(trace, thread, records, detailPath, arch, os);
            else if (File.Exists(detailPath))
                File.Delete(detailPath);
            WriteIndex(trace, thread, Path.Combine(threadDirectory, AtfLayout.IndexFileName), records > 0, arch, os, clock);
            manifestThreads.Add(new AtfManifestThread(thread.Id, records > 0));
        }

        var manifest = new AtfManifest
        {
            Threads = manifestThreads,
            TimeStartNs = (ulong)trace.TimeStartNs,
            TimeEndNs = (ulong)trace.TimeEndNs,
            ClockType = clock,
            FormatVersion = trace.Symbols.HasSymbols ? "2.1" : "2.0",
            Modules = trace.Symbols.Modules,
            Symbols = trace.Symbols.Symbols,
        };
        File.WriteAllBytes(Path.Combine(directory, AtfLayout.ManifestFileName), manifest.ToUtf8Json());
    }

    private static void WriteIndex(ExecutionTrace trace, TraceThread thread, string path, bool hasDetail, byte arch, byte os, byte clock)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var header = new byte[AtfLayout.HeaderSize];
        stream.Write(header); // placeholder, rewritten below like the original writer does

        var crc = new Crc32();
        var buffer = new TraceEvent[4096];
        var timestamps = trace.Timestamps;
        var ordinals = trace.FunctionOrdinals;
        var kinds = trace.Kinds;
        var depths = trace.Depths;
        var details = trace.DetailSeqs;
        var functionIds = trace.FunctionIds;
        for (int start = thread.Start; start < thread.End; start += buffer.Length)
        {
            int n = Math.Min(buffer.Length, thread.End - start);
            for (int i = 0; i < n; i++)
            {
                int e = start + i;
                buffer[i] = new TraceEvent((ulong)timestamps[e], functionIds[ordinals[e]], thread.Id, (EventKind)kinds[e], depths[e], details[e]);
            }
            var bytes = MemoryMarshal.AsBytes(buffer.AsSpan(0, n));
            crc.Append(bytes);
            stream.Write(bytes);
        }

        ulong count = (ulong)thread.Count;
        ulong sectionBytes = count * AtfLayout.EventSize;
        ulong footerOffset = AtfLayout.HeaderSize + sectionBytes;
        ulong timeStart = (ulong)thread.TimeStartNs, timeEnd = (ulong)thread.TimeEndNs;

        WriteFooter(stream, AtfLayout.IndexFooterMagic, crc.GetCurrentHashAsUInt32(), count, timeStart, timeEnd, sectionBytes);

        var h = header.AsSpan();
        WriteHeaderStart(h, AtfLayout.IndexMagic, arch, os, thread.Id);
        BinaryPrimitives.WriteUInt32LittleEndian(h[8..], hasDetail ? AtfLayout.FlagHasDetail : 0);
        h[16] = clock;
        BinaryPrimitives.WriteUInt32LittleEndian(h[24..], AtfLayout.EventSize);
        BinaryPrimitives.WriteUInt32LittleEndian(h[28..], (uint)count);
        BinaryPrimitives.WriteUInt64LittleEndian(h[32..], AtfLayout.HeaderSize);
        BinaryPrimitives.WriteUInt64LittleEndian(h[40..], footerOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(h[48..], timeStart);
        BinaryPrimitives.WriteUInt64LittleEndian(h[56..], timeEnd);
        stream.Position = 0;
        stream.Write(header);
    }

    private static void WriteDetail(ExecutionTrace trace, TraceThread thread, int records, string path, byte arch, byte os)
    {
        // Each record's index_seq is the position of the event that links it in the file being written.
        var linkedFrom = new Dictionary<uint, uint>();
        var details = trace.DetailSeqs;
        for (int e = thread.Start; e < thread.End; e++)
        {
            if (details[e] != TraceEvent.NoDetail)
                linkedFrom.TryAdd(details[e], (uint)(e - thread.Start));
        }

        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var header = new byte[AtfLayout.HeaderSize];
        stream.Write(header);
        var crc = new Crc32();
        var recordHeader = new byte[DetailRecord.HeaderSize];
        ulong bytesLength = 0;
        ulong firstSeq = 0, lastSeq = 0, timeStart = 0, timeEnd = 0;
        for (uint seq = 0; seq < records; seq++)
        {
            if (!trace.Details!.TryGetRecord(thread.Index, seq, out var record))
                throw new InvalidOperationException($"Detail record {seq} of thread {thread.Id} cannot be read.");
            uint indexSeq = linkedFrom.TryGetValue(seq, out uint position) ? position : record.IndexSeq;
            BinaryPrimitives.WriteUInt32LittleEndian(recordHeader, (uint)record.TotalLength);
            BinaryPrimitives.WriteUInt16LittleEndian(recordHeader.AsSpan(4), record.EventType);
            BinaryPrimitives.WriteUInt16LittleEndian(recordHeader.AsSpan(6), record.Flags);
            BinaryPrimitives.WriteUInt32LittleEndian(recordHeader.AsSpan(8), indexSeq);
            BinaryPrimitives.WriteUInt32LittleEndian(recordHeader.AsSpan(12), thread.Id);
            BinaryPrimitives.WriteUInt64LittleEndian(recordHeader.AsSpan(16), record.TimestampNs);
            crc.Append(recordHeader);
            crc.Append(record.Payload.Span);
            stream.Write(recordHeader);
            stream.Write(record.Payload.Span);
            bytesLength += (ulong)record.TotalLength;
            if (seq == 0)
            {
                firstSeq = indexSeq;
                timeStart = record.TimestampNs;
            }
            lastSeq = indexSeq;
            timeEnd = record.TimestampNs;
        }

        WriteFooter(stream, AtfLayout.DetailFooterMagic, crc.GetCurrentHashAsUInt32(), (ulong)records, bytesLength, timeStart, timeEnd);

        var h = header.AsSpan();
        WriteHeaderStart(h, AtfLayout.DetailMagic, arch, os, thread.Id);
        BinaryPrimitives.WriteUInt64LittleEndian(h[20..], AtfLayout.HeaderSize);
        BinaryPrimitives.WriteUInt64LittleEndian(h[28..], (ulong)records);
        BinaryPrimitives.WriteUInt64LittleEndian(h[36..], bytesLength);
        BinaryPrimitives.WriteUInt64LittleEndian(h[44..], firstSeq);
        BinaryPrimitives.WriteUInt64LittleEndian(h[52..], lastSeq);
        stream.Position = 0;
        stream.Write(header);
    }

    /// <summary>
    /// Writes a footer: its magic, the CRC-32 of the section before it, then four 64-bit fields whose meaning the
    /// file kind gives (index: count, time start, time end, section bytes; detail: count, bytes, time start, time end).
    /// </summary>
    private static void WriteFooter(Stream stream, uint magic, uint crc, ulong field8, ulong field16, ulong field24, ulong field32)
    {
        Span<byte> footer = stackalloc byte[AtfLayout.FooterSize];
        footer.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(footer, magic);
        BinaryPrimitives.WriteUInt32LittleEndian(footer[4..], crc);
        BinaryPrimitives.WriteUInt64LittleEndian(footer[8..], field8);
        BinaryPrimitives.WriteUInt64LittleEndian(footer[16..], field16);
        BinaryPrimitives.WriteUInt64LittleEndian(footer[24..], field24);
        BinaryPrimitives.WriteUInt64LittleEndian(footer[32..], field32);
        stream.Write(footer);
    }

    /// <summary>The header fields both file kinds share: magic, byte order, version, arch and os, and the thread id at byte 12.</summary>
    private static void WriteHeaderStart(Span<byte> header, uint magic, byte arch, byte os, uint threadId)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(header, magic);
        header[4] = AtfLayout.LittleEndian;
        header[5] = AtfLayout.Version;
        header[6] = arch;
        header[7] = os;
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], threadId);
    }
}
