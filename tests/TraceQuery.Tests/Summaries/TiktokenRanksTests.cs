using System.Text;
using Microsoft.ML.Tokenizers;
using TraceQuery.Generation;
using TraceQuery.Summaries;
using TraceQuery.Summaries.Internals;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Summaries;

/// <summary>
/// The compact vocabulary counts exactly as Microsoft.ML.Tokenizers' TiktokenTokenizer (the reference) on every text it
/// answers: the repository's snapshot texts line by line, real summaries, and seeded random text in many scripts.
/// </summary>
[TestClass]
public sealed class TiktokenRanksTests
{
    [TestMethod]
    [DataRow("o200k_base", 199_998)]
    [DataRow("cl100k_base", 100_256)]
    public void TryCount_SnapshotSummaryAndRandomTexts_ThenEqualsTheLibraryTokenizer(string encoding, int entries)
    {
        var ranks = TiktokenRanks.For(encoding)!;
        var reference = TiktokenTokenizer.CreateForEncoding(encoding);
        Assert.AreEqual(entries, ranks.Count);

        var texts = Corpus().ToList();
        int answered = 0;
        long tokens = 0;
        foreach (string text in texts)
        {
            if (!ranks.TryCount(text, out int count))
                continue;
            answered++;
            tokens += count;
            int expected = reference.CountTokens(text);
            if (expected != count)
                Assert.Fail($"{encoding}: {count} tokens counted, the library counts {expected}, for \"{text[..Math.Min(200, text.Length)]}\"");
        }
        // The fast path is the common one: nearly every text is answered (the rest falls back to the library).
        Assert.IsTrue(answered >= texts.Count * 0.97, $"{answered} of {texts.Count} texts answered");
        Assert.IsTrue(tokens > 500_000, $"{tokens} tokens compared");
    }

    [TestMethod]
    [DataRow("o200k_base")]
    [DataRow("cl100k_base")]
    public void Rank_EveryByteAndCommonWords_ThenTheLibraryIds(string encoding)
    {
        var ranks = TiktokenRanks.For(encoding)!;
        var reference = TiktokenTokenizer.CreateForEncoding(encoding);
        foreach (string word in new[] { " the", "hash", "_file", " ms", "\n\n", "123", "wait" })
        {
            var ids = reference.EncodeToIds(word);
            Assert.HasCount(1, ids, word);
            Assert.AreEqual(ids[0], ranks.Rank(Encoding.UTF8.GetBytes(word)), word);
        }
        for (int b = 0; b < 128; b++)
            Assert.AreEqual(reference.EncodeToIds(((char)b).ToString())[0], ranks.Rank([(byte)b]), $"byte {b}");
        Assert.AreEqual(-1, ranks.Rank("not-a-single-token-at-all"u8));
        Assert.IsNull(TiktokenRanks.For("p50k_base"));
    }

    [TestMethod]
    public void TryCount_SpecialTokensSurrogatesAndLongPieces_ThenDeclinesAndTheCounterStillMatches()
    {
        var ranks = TiktokenRanks.For("o200k_base")!;
        var reference = TiktokenTokenizer.CreateForEncoding("o200k_base");
        var counter = new TokenCounter("gpt-4o");
        string[] declined = ["before <|endoftext|> after", "emoji 😀 here", "lone \uD800 surrogate", "replacement \uFFFD char", new string('a', 129)];
        foreach (string text in declined)
        {
            Assert.IsFalse(ranks.TryCount(text, out _), text);
            Assert.AreEqual(reference.CountTokens(text), counter.CountTokens(text), text);
        }
        Assert.AreEqual(1, counter.CountTokens("<|endoftext|>"));
        Assert.IsTrue(ranks.TryCount("", out int empty));
        Assert.AreEqual(0, empty);
    }

    [TestMethod]
    public void GetPrefixLengthWithinTokens_WholeTextFitsOrNot_ThenAsTheLibrary()
    {
        var reference = TiktokenTokenizer.CreateForEncoding("o200k_base");
        var counter = new TokenCounter("o200k_base");
        string text = "- hash_file (indexer) ×45 · self 3.59 ms · total 4.13 ms · p50 20.3 µs · p99 1.82 ms · fn:0x05e4df9100000003";
        int total = reference.CountTokens(text);
        foreach (int max in new[] { 1, 5, total - 1, total, total + 1, 4096 })
        {
            int expectedIndex = reference.GetIndexByTokenCount(text, max, out _, out int expectedCount);
            int index = counter.GetPrefixLengthWithinTokens(text, max, out int count);
            Assert.AreEqual(expectedIndex, index, $"max {max}");
            Assert.AreEqual(expectedCount, count, $"max {max}");
        }
    }

    [TestMethod]
    public void Load_CacheDirectory_ThenWrittenReadBackAndDamagedFilesRefused()
    {
        string directory = Path.Combine(Path.GetTempPath(), "tracequery-ranks-" + Guid.NewGuid().ToString("N"));
        try
        {
            var parsed = TiktokenRanks.Load("cl100k_base", directory, out bool fromCache);
            Assert.IsFalse(fromCache);
            string file = Assert.ContainsSingle(Directory.GetFiles(directory));
            StringAssert.Matches(Path.GetFileName(file), new System.Text.RegularExpressions.Regex("^cl100k_base-[0-9a-f]{16}\\.tqranks$"));

            var cached = TiktokenRanks.Load("cl100k_base", directory, out fromCache);
            Assert.IsTrue(fromCache);
            Assert.IsTrue(cached.IsMapped, "a cached table is used in place from the mapped file");
            Assert.IsFalse(parsed.IsMapped);
            AssertSameCounts(parsed, cached);

            // A flipped byte fails the checksum; a cut file fails the length check: both are parsed again and rewritten.
            byte[] good = File.ReadAllBytes(file);
            byte[] damaged = (byte[])good.Clone();
            damaged[^7] ^= 0x5A;
            foreach (byte[] bad in new[] { damaged, good[..(good.Length / 2)], good[..16] })
            {
                File.WriteAllBytes(file, bad);
                var reparsed = TiktokenRanks.Load("cl100k_base", directory, out fromCache);
                Assert.IsFalse(fromCache);
                AssertSameCounts(parsed, reparsed);
                CollectionAssert.AreEqual(good, File.ReadAllBytes(file));
            }

            // No directory: nothing is written or read.
            var uncached = TiktokenRanks.Load("cl100k_base", cacheDirectory: null, out fromCache);
            Assert.IsFalse(fromCache);
            Assert.AreEqual(parsed.Count, uncached.Count);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void AssertSameCounts(TiktokenRanks expected, TiktokenRanks actual)
    {
        Assert.AreEqual(expected.Count, actual.Count);
        foreach (string text in Corpus().Take(3_000))
        {
            bool answered = expected.TryCount(text, out int want);
            Assert.AreEqual(answered, actual.TryCount(text, out int got), text);
            Assert.AreEqual(want, got, text);
        }
    }

    private static IEnumerable<string> Corpus()
    {
        var root = TestPaths.RepositoryRoot;
        foreach (string file in Directory.EnumerateFiles(Path.Combine(root, "tests"), "*.verified.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string text = File.ReadAllText(file);
            yield return text;
            foreach (string line in text.Split('\n'))
                yield return line + "\n";
        }
        foreach (string file in new[] { "README.md", "CHANGELOG.md" })
            yield return File.ReadAllText(Path.Combine(root, file));

        using var trace = TraceGenerator.Generate(20_000, new TraceGeneratorOptions { Anomalies = TraceAnomalies.All, WithDetail = true });
        var engine = new QueryEngine(tokenCounter: new TokenCounter("o200k_base"));
        foreach (int budget in new[] { 300, 1_000, 4_096 })
            yield return engine.Process(trace, budget).Summary;

        // Random text: ASCII-heavy like the answers, with marks, CJK, Cyrillic, Greek, separators and line ends.
        var random = new Random(4242);
        const string Alphabet = " \n\r\t  abcXYZ019_-.,:;'\"/\\()[]{}<>|*+=#@!?%&$~`^éßøλжあ中한\u0301\u00a0\u2028…×µ'sS";
        for (int i = 0; i < 20_000; i++)
        {
            var text = new StringBuilder();
            int length = random.Next(1, 80);
            for (int j = 0; j < length; j++)
            {
                int pick = random.Next(10);
                text.Append(pick < 6 ? Alphabet[random.Next(Alphabet.Length)] : pick < 8 ? (char)random.Next(0x20, 0x7f) : (char)random.Next(0x20, 0xD7FF));
            }
            yield return text.ToString();
        }
    }
}
