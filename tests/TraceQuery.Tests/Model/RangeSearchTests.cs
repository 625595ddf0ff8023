using TraceQuery.Model;
using TraceQuery.Model.Internals;

namespace TraceQuery.Tests.Model;

[TestClass]
public sealed class RangeSearchTests
{
    [TestMethod]
    public void Find_RandomBoundariesWithEmptyRanges_ThenMatchesLinearScan()
    {
        var random = new Random(16);
        for (int round = 0; round < 200; round++)
        {
            int ranges = random.Next(1, 12);
            var boundaries = new int[ranges + 1];
            for (int r = 1; r <= ranges; r++)
                boundaries[r] = boundaries[r - 1] + (random.Next(3) == 0 ? 0 : random.Next(1, 5)); // a third are empty
            for (int position = boundaries[0]; position < boundaries[^1]; position++)
            {
                int expected = 0;
                while (!(boundaries[expected] <= position && position < boundaries[expected + 1]))
                    expected++;
                Assert.AreEqual(expected, RangeSearch.Find(boundaries, position), $"round {round}, position {position}: [{string.Join(", ", boundaries)}]");
            }
        }
    }

    [TestMethod]
    public void GetThreadOfEvent_EmptyThreadsFirstBetweenAndLast_ThenThreadThatHoldsTheEvent()
    {
        var builder = new TraceBuilder();
        foreach (uint id in new uint[] { 1, 2, 3, 4, 5 })
            builder.AddThread(id);
        foreach (uint id in new uint[] { 2, 4 })
        {
            for (uint i = 0; i < 3; i++)
            {
                builder.Add(new TraceEvent(10 + (i * 2), 7, id, EventKind.Call, 1));
                builder.Add(new TraceEvent(11 + (i * 2), 7, id, EventKind.Return, 1));
            }
        }
        using var trace = builder.Build();

        Assert.AreEqual(12, trace.EventCount);
        var holders = Enumerable.Range(0, trace.EventCount).Select(e => trace.GetThreadOfEvent(e).Id).ToArray();
        CollectionAssert.AreEqual(new uint[] { 2, 2, 2, 2, 2, 2, 4, 4, 4, 4, 4, 4 }, holders);
    }
}
