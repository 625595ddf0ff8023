using TraceQuery.Model;

namespace TraceQuery.Tests.Model;

[TestClass]
public sealed class SymbolTableTests
{
    [TestMethod]
    public void ModuleIdFromPath_OriginalTracerPaths_ThenMatchesFnv1aOfFoldedPath()
    {
        // Values from the original tracer's fixture (expected.json "modules").
        Assert.AreEqual(98885521u, SymbolTable.ModuleIdFromPath("/srv/app/bin/indexer"));
        Assert.AreEqual(2833738354u, SymbolTable.ModuleIdFromPath("/srv/app/lib64/libstore.so"));
        Assert.AreEqual(SymbolTable.ModuleIdFromPath("/SRV/App/bin/indexer"), SymbolTable.ModuleIdFromPath("/srv/app/bin/indexer"));
    }

    [TestMethod]
    public void GetName_UnknownId_ThenRendersHexPlaceholder()
    {
        var table = new SymbolTable(
            [new ModuleInfo(0xA8E76A72, "/srv/app/lib64/libstore.so")],
            [new SymbolInfo(0xA8E76A7200000002UL, "put_record")]);

        Assert.AreEqual("put_record", table.GetName(0xA8E76A7200000002UL));
        Assert.AreEqual("fn_0xa8e76a7200000009", table.GetName(0xA8E76A7200000009UL));
        Assert.AreEqual("libstore.so", table.GetModuleName(0xA8E76A7200000009UL));
        Assert.AreEqual("mod_0x00000001", table.GetModuleName(0x0000000100000001UL));
        Assert.IsFalse(table.TryGetName(5, out _));
    }

    [TestMethod]
    public void Constructor_DuplicateIds_ThenFirstEntryWins()
    {
        var table = new SymbolTable([], [new SymbolInfo(1, "first"), new SymbolInfo(1, "second")]);
        Assert.AreEqual("first", table.GetName(1));
        Assert.AreEqual(2, table.Symbols.Count);
    }
}
