using TraceQuery.Analysis.Internals;

namespace TraceQuery.Tests.Analysis;

[TestClass]
public sealed class WeakScratchTests
{
    [TestMethod]
    public void Rent_AfterReturnOfALargerLiveArray_ThenTheSameArrayAndTakenOutUntilReturned()
    {
        var first = WeakScratch<short>.Rent(1_000);
        Assert.IsGreaterThanOrEqualTo(1_000, first.Length);
        WeakScratch<short>.Return(first);

        var again = WeakScratch<short>.Rent(500);
        Assert.AreSame(first, again, "a live returned array is reused");
        var concurrent = WeakScratch<short>.Rent(500);
        Assert.AreNotSame(first, concurrent, "a rented array is never handed out twice");
        Assert.AreEqual(500, concurrent.Length);

        // A smaller array does not displace the larger one kept; a request larger than what is kept allocates.
        WeakScratch<short>.Return(again);
        WeakScratch<short>.Return(concurrent);
        Assert.AreSame(first, WeakScratch<short>.Rent(1_000));
        Assert.AreEqual(2_000, WeakScratch<short>.Rent(2_000).Length);
        GC.KeepAlive(first);
    }
}
