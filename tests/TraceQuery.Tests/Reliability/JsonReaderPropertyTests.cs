using TraceQuery.Fuzz;

namespace TraceQuery.Tests.Reliability;

/// <summary>
/// Random damage to valid Chrome Trace Event and OTLP/JSON files (also as producers write them: proto names, base64
/// ids; and opened by content through gzip and a byte order mark) only gives a TraceFormatException or a reported recovery.
/// </summary>
[TestClass]
public sealed class JsonReaderPropertyTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow("chrome", 0x5EED_0005UL)]
    [DataRow("otlp", 0x5EED_0006UL)]
    [DataRow("jsonfile", 0x5EED_0007UL)]
    [DataRow("cpuprofile", 0x5EED_0008UL)]
    public void Read_RandomlyDamagedFiles_ThenTypedErrorOrReportedRecovery(string target, ulong seed)
    {
        var originals = SeedCorpus.Inputs(target);
        foreach (byte[] original in originals)
            Assert.AreNotEqual(FuzzOutcome.Rejected, FuzzTargets.All[target](original), "a seed must be readable");
        var tally = new Property.Tally();
        Property.ForAll(Mutations.Damage, 150, seed, damage =>
            tally.Add(Property.Run(FuzzTargets.All[target], Mutations.Apply(originals, damage))),
            d => $"seed input {d.Base % originals.Count}, steps {string.Join(", ", d.Steps)}");
        TestContext.WriteLine($"{target} mutations: {tally}");
        Assert.IsGreaterThan(20, tally[FuzzOutcome.Rejected], tally.ToString());
        Assert.IsGreaterThan(1, tally[FuzzOutcome.Accepted] + tally[FuzzOutcome.Recovered], tally.ToString());
    }
}
