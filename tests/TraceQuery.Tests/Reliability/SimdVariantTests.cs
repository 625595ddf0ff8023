using TraceQuery.Filtering;
using TraceQuery.Generation;
using TraceQuery.Tests.Filtering;
using TraceQuery.Tests.Infrastructure;
using TraceQuery.Tests.Vectorized;
using TraceQuery.Vectorized;

namespace TraceQuery.Tests.Reliability;

/// <summary>No path depends on Vector512 (so no AVX-512-off CI run is needed) or on the alignment of its input.</summary>
[TestClass]
public sealed class SimdVariantTests
{
    [TestMethod]
    public void Sources_NoVector512OrAvx512Path_ThenTwoCiRunsCoverEverySimdVariant()
    {
        // CI runs the suite with SIMD on and with DOTNET_EnableHWIntrinsic=0. A Vector512 path would need a third
        // run with DOTNET_EnableAVX512F=0 (and a scalar twin test): add both to .ci/run when this test fails.
        string src = Path.Combine(TestPaths.RepositoryRoot, "src");
        var offenders = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f) is var text && (text.Contains("Vector512", StringComparison.Ordinal) || text.Contains("Avx512", StringComparison.Ordinal)))
            .Select(f => Path.GetRelativePath(src, f))
            .ToList();
        Assert.IsEmpty(offenders, string.Join(", ", offenders));
    }

    [TestMethod]
    public void Kernels_SlicesAtEveryElementOffset_ThenSameAsScalarTwin()
    {
        // Array data is only 8- or 16-byte aligned; slicing by one element moves it off any 32-byte boundary.
        var random = new Random(11);
        long[] longs = [.. Enumerable.Range(0, 300).Select(_ => random.NextInt64(-1_000_000, 1_000_000))];
        double[] doubles = [.. longs.Select(v => v / 7.0)];
        for (int offset = 0; offset < 8; offset++)
        {
            foreach (int length in new[] { 0, 1, 3, 4, 5, 8, 9, 31, 33, 64, 100, 257 })
            {
                var l = longs.AsSpan(offset, length);
                var d = doubles.AsSpan(offset, length);
                var dispatched = Evaluate(l, d);
                using (KernelPaths.Enter(KernelPaths.Scalar))
                    Assert.AreEqual(Evaluate(l, d), dispatched, $"offset {offset}, length {length}");
            }
        }
    }

    private static (long Sum, long CountAbove, double Mean, long Min, long Max, string Scaled) Evaluate(ReadOnlySpan<long> l, ReadOnlySpan<double> d)
    {
        var scaled = new long[l.Length + 3];
        Kernels.Scale(l, 3, scaled.AsSpan(3));
        double mean = d.Length == 0 ? 0 : Math.Round(Kernels.MeanVariance(d).Mean, 3);
        return (Kernels.Sum(l), Kernels.CountGreaterThan(l, 0), mean,
            l.Length == 0 ? 0 : Kernels.Min(l), l.Length == 0 ? 0 : Kernels.Max(l), string.Join(',', scaled));
    }

    [TestMethod]
    public void Filters_OnTracesOfEveryLengthAroundAVector_ThenSameAsScalarTwin()
    {
        foreach (int events in new[] { 1, 7, 31, 33, 63, 65, 130 })
        {
            using var trace = TraceGenerator.Generate(events, new TraceGeneratorOptions { Threads = 1, Seed = events });
            foreach (string text in new[] { "kind:exception", "depth>2 kind:call", "fn:parse_* or kind:return", "not detail:yes" })
            {
                var filter = EventFilter.Parse(text);
                Assert.AreEqual(string.Join(',', ScalarTwin.Evaluate(filter, trace).Indices()), string.Join(',', filter.Evaluate(trace).Indices()), $"{text} on {events} events");
            }
        }
    }
}
