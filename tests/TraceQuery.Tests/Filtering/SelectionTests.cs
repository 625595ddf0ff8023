using TraceQuery.Filtering;

namespace TraceQuery.Tests.Filtering;

[TestClass]
public sealed class SelectionTests
{
    [TestMethod]
    public void SetOperations_ThenMatchHashSetSemantics()
    {
        var random = new Random(5);
        foreach (int length in new[] { 0, 1, 63, 64, 65, 200, 1_000 })
        {
            var a = Enumerable.Range(0, length).Where(_ => random.Next(3) == 0).ToHashSet();
            var b = Enumerable.Range(0, length).Where(_ => random.Next(2) == 0).ToHashSet();
            var sa = Selection.FromIndices(length, a);
            var sb = Selection.FromIndices(length, b);
            CollectionAssert.AreEqual(a.Intersect(b).Order().ToList(), sa.Intersect(sb).Indices().ToList());
            CollectionAssert.AreEqual(a.Union(b).Order().ToList(), sa.Union(sb).Indices().ToList());
            CollectionAssert.AreEqual(a.Except(b).Order().ToList(), sa.Except(sb).Indices().ToList());
            CollectionAssert.AreEqual(Enumerable.Range(0, length).Except(a).ToList(), sa.Complement().Indices().ToList());
            Assert.AreEqual(length, Selection.All(length).Count);
            Assert.AreEqual(0, Selection.None(length).Count);
            Assert.AreEqual(a.Count, sa.Count);
        }
    }

    [TestMethod]
    public void GetPage_WalkingAllPages_ThenEveryIndexExactlyOnce()
    {
        var indices = Enumerable.Range(0, 5_000).Where(i => i % 7 == 0 || i % 11 == 3).ToList();
        var selection = Selection.FromIndices(5_000, indices);
        var seen = new List<int>();
        int? cursor = 0;
        int pages = 0;
        while (cursor is { } start)
        {
            var (page, next) = selection.GetPage(start, 97);
            seen.AddRange(page);
            cursor = next;
            pages++;
        }
        CollectionAssert.AreEqual(indices, seen);
        Assert.AreEqual((indices.Count + 96) / 97, pages);
    }

    [TestMethod]
    public void Combine_DifferentLengths_ThenArgumentException()
    {
        Assert.ThrowsExactly<ArgumentException>(() => Selection.All(10).Intersect(Selection.All(11)));
    }
}
