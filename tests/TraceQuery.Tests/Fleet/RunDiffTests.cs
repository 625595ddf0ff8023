using TraceQuery.Fleet;
using TraceQuery.Tests.Infrastructure;
using TraceQuery.Text;

namespace TraceQuery.Tests.Fleet;

[TestClass]
public sealed class RunDiffTests
{
    [TestMethod]
    public void Compare_SlowerFunctionAndNewError_ThenNamesBothAndCallsTheRestUnchanged()
    {
        using var baseline = TwoRuns.Baseline();
        using var candidate = TwoRuns.Candidate();
        var diff = RunComparer.Compare(baseline, candidate);

        var checksum = diff.Changed.Single(c => c.Name == "checksum");
        Assert.IsTrue(checksum.IsRegression);
        var p50 = checksum.Changes.Single(c => c.Metric == DiffMetric.P50);
        Assert.AreEqual(20_000, p50.Baseline);
        Assert.AreEqual(50_000, p50.Candidate);
        Assert.AreEqual(30_000.0 * TwoRuns.Iterations, p50.ImpactNs);
        Assert.AreEqual(1, diff.Changed.Count, string.Join(", ", diff.Changed.Select(c => c.Name)));

        var error = diff.Errors.Single();
        Assert.IsTrue(error.IsNew);
        Assert.AreEqual("validate", error.Function);
        Assert.AreEqual("InvalidDataException: bad checksum", error.Message);
        Assert.AreEqual(3, error.CandidateCount);

        CollectionAssert.AreEqual(new[] { "read_block", "validate" }, diff.Unchanged.Select(f => f.Name).ToArray());
        CollectionAssert.AreEqual(new[] { "main" }, diff.NotJudged.Select(f => f.Name).ToArray(), "one call of main is too few to judge");
        Assert.AreEqual(0, diff.Appeared.Count);
        Assert.AreEqual(0, diff.Vanished.Count);
    }

    [TestMethod]
    public void Diff_ThroughEngine_ThenAnswerNamesSlowerFunctionNewErrorAndUnchanged()
    {
        using var baseline = TwoRuns.Baseline();
        using var candidate = TwoRuns.Candidate();
        var result = new QueryEngine().Diff(baseline, candidate, tokenBudget: 2_000, baselineName: "run-1", candidateName: "run-2");

        Assert.IsFalse(result.DidTruncate);
        Assert.IsTrue(result.TokenCount <= 2_000);
        string[] lines = result.Summary.Split('\n');
        StringAssert.StartsWith(lines[0], "# Diff of run-2 (");
        StringAssert.Contains(lines[0], "1 function changed (1 slower or busier, 0 faster or calmer), 1 new error, 0 errors gone", result.Summary);
        StringAssert.Contains(result.Summary,
            "- new error in validate (app) \"InvalidDataException: bad checksum\": ×0 → ×3 · first trace:run-2 event:1:");
        StringAssert.Contains(result.Summary, "- slower: checksum (app) ");
        StringAssert.Contains(result.Summary, "p50 20.0 µs → 50.0 µs (+150%, +30.0 µs)");
        string unchanged = lines.Single(l => l.StartsWith("- unchanged:", StringComparison.Ordinal));
        StringAssert.Contains(unchanged, "read_block ×120→120");
        Assert.IsFalse(lines.Any(l => l.StartsWith("- slower: read_block", StringComparison.Ordinal) || l.StartsWith("- faster: read_block", StringComparison.Ordinal)));
        Snapshot.Verify(result.Summary);
    }

    [TestMethod]
    public void Diff_SmallBudget_ThenCursorPagesThroughWithoutRepeats()
    {
        using var baseline = TwoRuns.Baseline();
        using var candidate = TwoRuns.Candidate();
        var engine = new QueryEngine();
        var full = engine.Diff(baseline, candidate, tokenBudget: 4_000);
        var first = engine.Diff(baseline, candidate, tokenBudget: 320);
        Assert.IsTrue(first.DidTruncate);
        Assert.IsTrue(first.TokenCount <= 320);
        var seen = new List<string>();
        var page = first;
        for (int i = 0; i < 20 && page is not null; i++)
        {
            seen.AddRange(page.Summary.Split('\n').Where(l => l.StartsWith("- ", StringComparison.Ordinal) && !l.EndsWith("…[cut]", StringComparison.Ordinal)));
            page = page.NextCursor is { } cursor ? engine.Diff(baseline, candidate, tokenBudget: 320, cursor: cursor) : null;
        }
        var expected = full.Summary.Split('\n').Where(l => l.StartsWith("- ", StringComparison.Ordinal)).ToList();
        CollectionAssert.AreEquivalent(expected, seen);
    }

    [TestMethod]
    public void Diff_CursorOfAnotherDiff_ThenArgumentExceptionNamingCursor()
    {
        using var baseline = TwoRuns.Baseline();
        using var candidate = TwoRuns.Candidate();
        var engine = new QueryEngine();
        var first = engine.Diff(baseline, candidate, tokenBudget: 320);
        var e = Assert.ThrowsExactly<QueryArgumentException>(() => engine.Diff(candidate, baseline, tokenBudget: 320, cursor: first.NextCursor));
        Assert.AreEqual("cursor", e.Parameter);
    }

    [TestMethod]
    public void Compare_BadThreshold_ThenArgumentOutOfRangeNamingIt()
    {
        using var baseline = TwoRuns.Baseline();
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => RunComparer.Compare(baseline, baseline, new RunDiffOptions { MinCalls = 0 }));
        Assert.AreEqual("MinCalls", e.ParamName);
    }

    [TestMethod]
    public void Compare_RunWithItself_ThenNothingChanges()
    {
        using var candidate = TwoRuns.Candidate();
        var diff = RunComparer.Compare(candidate, candidate);
        Assert.AreEqual(0, diff.Changed.Count);
        Assert.AreEqual(0, diff.Errors.Count);
        Assert.AreEqual(0, diff.NewFindings.Count);
        Assert.AreEqual(3, diff.Unchanged.Count + diff.NotJudged.Count - 1);
    }
}
