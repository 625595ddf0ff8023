using TraceQuery.Model;

namespace TraceQuery.Tests.Model;

[TestClass]
public sealed class FunctionIdSetTests
{
    [TestMethod]
    public void EncodeDecode_RandomSets_ThenBothEncodingsRoundTripAndTheSmallerIsPicked()
    {
        var random = new Random(20261126);
        int bitsetPicked = 0, deltaPicked = 0;
        for (int round = 0; round < 2_000; round++)
        {
            // Dense and sparse sets, small and large ranges, near the top of the 32-bit range too.
            int count = random.Next(0, round % 10 == 0 ? 2_000 : 64);
            uint range = (uint)random.Next(1, 1 << random.Next(1, 20));
            uint start = random.Next(8) == 0 ? uint.MaxValue - range : (uint)random.Next(0, 1 << 24);
            var set = new SortedSet<uint>();
            for (int i = 0; i < count; i++)
                set.Add(start + (uint)random.NextInt64(0, (long)range + 1));
            uint[] sorted = [.. set];

            byte[] bitset = FunctionIdSet.EncodeBitset(sorted), delta = FunctionIdSet.EncodeDeltaList(sorted);
            CollectionAssert.AreEqual(sorted, FunctionIdSet.Decode(bitset), $"bitset, round {round}");
            CollectionAssert.AreEqual(sorted, FunctionIdSet.Decode(delta), $"delta list, round {round}");

            uint module = (uint)random.Next();
            var encoded = FunctionIdSet.Encode(module, sorted.Reverse().Concat(sorted.Take(3)));
            int expected = Math.Min(bitset.Length, delta.Length);
            Assert.AreEqual(expected, Convert.FromBase64String(encoded.Base64).Length, $"round {round}: not the smaller encoding");
            Assert.AreEqual(bitset.Length < delta.Length ? FunctionIdSetEncoding.Bitset : FunctionIdSetEncoding.DeltaList, encoded.Encoding);
            Assert.AreEqual(sorted.Length, encoded.Count);
            CollectionAssert.AreEqual(sorted.Select(i => SymbolTable.MakeFunctionId(module, i)).ToArray(), FunctionIdSet.DecodeFunctionIds(module, encoded.Base64));
            if (encoded.Encoding == FunctionIdSetEncoding.Bitset)
                bitsetPicked++;
            else
                deltaPicked++;
        }
        // The generator produced both dense and sparse sets.
        Assert.IsTrue(bitsetPicked > 100 && deltaPicked > 100, $"{bitsetPicked} bitsets, {deltaPicked} delta lists");
    }

    [TestMethod]
    public void Encode_DocumentedExample_ThenBytesAsDocumented()
    {
        CollectionAssert.AreEqual(new byte[] { 0x01, 0x03, 0x05, 0x17 }, FunctionIdSet.EncodeBitset([3, 4, 5, 7]));
        CollectionAssert.AreEqual(new byte[] { 0x02, 0x04, 0x03, 0x00, 0x00, 0x01 }, FunctionIdSet.EncodeDeltaList([3, 4, 5, 7]));
        Assert.AreEqual(new EncodedFunctionIdSet(9, FunctionIdSetEncoding.Bitset, 4, "AQMFFw=="), FunctionIdSet.Encode(9, [7, 3, 5, 4]));
        // Sparse: two far-apart indices; a varint gap of 100,000 takes 3 bytes.
        Assert.AreEqual(new EncodedFunctionIdSet(9, FunctionIdSetEncoding.DeltaList, 2, Convert.ToBase64String([0x02, 0x02, 0x01, 0x9f, 0x8d, 0x06])), FunctionIdSet.Encode(9, [1, 100_001]));
    }

    [TestMethod]
    [DataRow(new byte[0], "at least 1 byte")]
    [DataRow(new byte[] { 0x07 }, "Unknown function-id set encoding 0x07 in byte 0")]
    [DataRow(new byte[] { 0x01, 0x03, 0x09, 0xff }, "needs 2 bytes after byte 3, but 1 follow")]
    [DataRow(new byte[] { 0x02, 0x02, 0x01 }, "cut off at byte 3")]
    [DataRow(new byte[] { 0x02, 0x01, 0x01, 0x05 }, "1 bytes follow the delta list's last index")]
    public void Decode_Malformed_ThenFormatExceptionSaysWhere(byte[] bytes, string message)
    {
        var e = Assert.ThrowsExactly<FormatException>(() => FunctionIdSet.Decode(bytes));
        StringAssert.Contains(e.Message, message);
    }
}
