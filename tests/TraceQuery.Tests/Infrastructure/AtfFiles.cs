using System.Buffers.Binary;
using System.Runtime.InteropServices;
using TraceQuery.Model;

namespace TraceQuery.Tests.Infrastructure;

/// <summary>Byte-level edits of ATF files, to build damaged sessions in tests.</summary>
internal static class AtfFiles
{
    public static string IndexPath(string session, uint thread) => Path.Combine(session, $"thread_{thread}", "index.atf");

    public static string DetailPath(string session, uint thread) => Path.Combine(session, $"thread_{thread}", "detail.atf");

    public static void Truncate(string path, long length)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.SetLength(length);
    }

    public static void Patch(string path, long offset, ReadOnlySpan<byte> bytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = offset;
        stream.Write(bytes);
    }

    public static void PatchUInt32(string path, long offset, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        Patch(path, offset, bytes);
    }

    public static void PatchUInt64(string path, long offset, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        Patch(path, offset, bytes);
    }

    public static TraceEvent[] ReadEvents(string indexPath)
    {
        var bytes = File.ReadAllBytes(indexPath);
        ulong count = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(bytes.Length - 64 + 8));
        return MemoryMarshal.Cast<byte, TraceEvent>(bytes.AsSpan(64, (int)count * 32)).ToArray();
    }

    /// <summary>Rewrites a finalized index file with other events (footer checksum 0, counts consistent).</summary>
    public static void RewriteEvents(string indexPath, TraceEvent[] events)
    {
        var old = File.ReadAllBytes(indexPath);
        var header = old.AsSpan(0, 64).ToArray();
        var footer = old.AsSpan(old.Length - 64).ToArray();
        ulong sectionBytes = (ulong)events.Length * 32;
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(28), (uint)events.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(40), 64 + sectionBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(footer.AsSpan(4), 0);
        BinaryPrimitives.WriteUInt64LittleEndian(footer.AsSpan(8), (ulong)events.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(footer.AsSpan(32), sectionBytes);
        using var stream = new FileStream(indexPath, FileMode.Create);
        stream.Write(header);
        stream.Write(MemoryMarshal.AsBytes(events.AsSpan()));
        stream.Write(footer);
    }
}
