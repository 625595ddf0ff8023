using TraceQuery.Fuzz;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Reliability;

/// <summary>
/// Every input fuzz/run.sh ever saved under <c>fuzz/crashes/&lt;target&gt;/</c> is replayed here: a crash
/// the fuzzer found stays a regression test once its cause is fixed.
/// </summary>
[TestClass]
public sealed class FuzzFindingsTests
{
    public static IEnumerable<object[]> SavedFindings()
    {
        string root = Path.Combine(TestPaths.RepositoryRoot, "fuzz", "crashes");
        if (!Directory.Exists(root))
            yield break;
        foreach (string file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            yield return [Path.GetFileName(Path.GetDirectoryName(file))!, Path.GetRelativePath(root, file)];
    }

    [TestMethod]
    [DynamicData(nameof(SavedFindings))]
    public void Replay_SavedFuzzFinding_ThenTypedOutcome(string target, string file)
    {
        byte[] input = File.ReadAllBytes(Path.Combine(TestPaths.RepositoryRoot, "fuzz", "crashes", file));
        var outcome = Property.Run(FuzzTargets.All[target], input);
        Assert.IsTrue(Enum.IsDefined(outcome));
    }

    [TestMethod]
    public void Seeds_EveryTarget_ThenAccepted()
    {
        foreach (var bundle in SeedCorpus.AtfBundles().SkipLast(1))
            Assert.AreEqual(FuzzOutcome.Accepted, FuzzTargets.AtfSession(bundle));
        Assert.AreEqual(FuzzOutcome.Recovered, FuzzTargets.AtfSession(SeedCorpus.AtfBundles()[^1]));
        foreach (string filter in SeedCorpus.Filters)
            Assert.AreEqual(FuzzOutcome.Accepted, FuzzTargets.Filter(System.Text.Encoding.UTF8.GetBytes(filter)), filter);
        foreach (string request in SeedCorpus.Requests)
            Assert.AreEqual(FuzzOutcome.Accepted, FuzzTargets.Request(System.Text.Encoding.UTF8.GetBytes(request)), request);
        foreach (string target in new[] { "chrome", "otlp", "jsonfile" })
        {
            foreach (byte[] seed in SeedCorpus.Inputs(target))
                Assert.AreNotEqual(FuzzOutcome.Rejected, FuzzTargets.All[target](seed), target);
        }
    }

    [TestMethod]
    public void Targets_EveryOneHasSeeds_ThenTheFuzzerCanStartIt()
    {
        foreach (string target in FuzzTargets.All.Keys)
            Assert.IsNotEmpty(SeedCorpus.Inputs(target), target);
    }
}
