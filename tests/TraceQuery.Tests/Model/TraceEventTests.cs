using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TraceQuery.Model;

namespace TraceQuery.Tests.Model;

[TestClass]
public sealed class TraceEventTests
{
    [TestMethod]
    public void TraceEvent_Size_ThenIs32BytesManagedAndUnmanaged()
    {
        Assert.AreEqual(32, Unsafe.SizeOf<TraceEvent>());
        Assert.AreEqual(32, Marshal.SizeOf<TraceEvent>());
        Assert.AreEqual(TraceEvent.Size, Unsafe.SizeOf<TraceEvent>());
    }

    [TestMethod]
    public void TraceEvent_Bytes_ThenMatchAtfIndexLayoutLittleEndian()
    {
        var e = new TraceEvent(0x0102030405060708UL, 0xA8E76A7200000003UL, 7, EventKind.Exception, 4, 0x11223344);
        var bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<TraceEvent>(in e));

        Assert.AreEqual(0x0102030405060708UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.AreEqual(0xA8E76A7200000003UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]));
        Assert.AreEqual(7u, BinaryPrimitives.ReadUInt32LittleEndian(bytes[16..]));
        Assert.AreEqual(3u, BinaryPrimitives.ReadUInt32LittleEndian(bytes[20..]));
        Assert.AreEqual(4u, BinaryPrimitives.ReadUInt32LittleEndian(bytes[24..]));
        Assert.AreEqual(0x11223344u, BinaryPrimitives.ReadUInt32LittleEndian(bytes[28..]));
    }

    [TestMethod]
    public void TraceEvent_FunctionIdHalves_ThenSplitModuleAndSymbol()
    {
        var e = new TraceEvent(1, 0xA8E76A7200000003UL, 0, EventKind.Call, 1);
        Assert.AreEqual(0xA8E76A72u, e.ModuleId);
        Assert.AreEqual(3u, e.SymbolIndex);
        Assert.IsFalse(e.HasDetail);
        Assert.AreEqual(TraceEvent.NoDetail, e.DetailSeq);
    }

    [TestMethod]
    public void EventRef_ToStringAndParse_ThenRoundTrips()
    {
        var reference = new EventRef(3, 1990);
        Assert.AreEqual("event:3:1990", reference.ToString());
        Assert.IsTrue(EventRef.TryParse("event:3:1990", out var parsed));
        Assert.AreEqual(reference, parsed);
        Assert.IsFalse(EventRef.TryParse("event:3", out _));
        Assert.IsFalse(EventRef.TryParse("span:3:1", out _));
        Assert.IsFalse(EventRef.TryParse("event:-1:2", out _));
    }
}
