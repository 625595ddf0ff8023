using TraceQuery.Fuzz;

namespace TraceQuery.Tests.Reliability;

/// <summary>
/// Random damage to the recorded <c>.nettrace</c> files, and every kind of cut, only gives a TraceFormatException or a
/// trace (with what it could not map reported); never another exception, a crash or a hang (the fuzz target
/// <c>nettrace</c>, through TraceEvent).
/// </summary>
[TestClass]
public sealed class NetTracePropertyTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Open_RandomlyDamagedNetTrace_ThenTypedErrorOrATrace()
    {
        var originals = SeedCorpus.NetTraces();
        foreach (byte[] original in originals)
            Assert.AreNotEqual(FuzzOutcome.Rejected, FuzzTargets.All["nettrace"](original), "a seed must be readable");
        var tally = new Property.Tally();
        Property.ForAll(Mutations.Damage, 40, 0x5EED_0022UL, damage =>
            tally.Add(Property.Run(FuzzTargets.All["nettrace"], Mutations.Apply(originals, damage))),
            d => $"seed input {d.Base % originals.Count}, steps {string.Join(", ", d.Steps)}");
        TestContext.WriteLine($"nettrace mutations: {tally}");
        Assert.IsGreaterThan(5, tally[FuzzOutcome.Rejected], tally.ToString());
        Assert.IsGreaterThanOrEqualTo(1, tally[FuzzOutcome.Accepted] + tally[FuzzOutcome.Recovered], tally.ToString());
    }

    [TestMethod]
    public void Open_TruncatedNetTrace_ThenTypedErrorOrATraceAtEveryCut()
    {
        byte[] original = SeedCorpus.NetTraces()[0];
        var tally = new Property.Tally();
        foreach (int cut in new[] { 0, 1, 7, 8, 9, 16, 40, 100, 200, 1_000, 4_096, 20_000, 100_000, original.Length / 2, original.Length - 100, original.Length - 1 })
            tally.Add(Property.Run(FuzzTargets.All["nettrace"], original[..cut]));
        TestContext.WriteLine($"nettrace cuts: {tally}");
        Assert.IsGreaterThan(5, tally[FuzzOutcome.Rejected], tally.ToString());
    }
}
