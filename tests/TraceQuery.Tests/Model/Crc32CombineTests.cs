using System.IO.Hashing;
using TraceQuery.Model.Internals;

namespace TraceQuery.Tests.Model;

[TestClass]
public sealed class Crc32CombineTests
{
    [TestMethod]
    public void Combine_AdjacentRanges_ThenEqualsCrcOfConcatenation()
    {
        var random = new Random(32);
        var bytes = new byte[100_000];
        random.NextBytes(bytes);
        foreach (int split in new[] { 0, 1, 31, 4_096, 65_537, 99_999, 100_000 })
        {
            uint a = Crc32.HashToUInt32(bytes.AsSpan(0, split));
            uint b = Crc32.HashToUInt32(bytes.AsSpan(split));
            Assert.AreEqual(Crc32.HashToUInt32(bytes), Crc32Combine.Combine(a, b, bytes.Length - split), $"split at {split}");
        }
    }
}
