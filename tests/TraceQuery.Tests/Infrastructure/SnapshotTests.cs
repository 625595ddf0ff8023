namespace TraceQuery.Tests.Infrastructure;

[TestClass]
public sealed class SnapshotTests
{
    [TestMethod]
    public void Verify_Mismatch_ThenWritesReceivedAndFailsWithDiff()
    {
        string dir = TestPaths.NewTempDirectory("snap");
        string fakeSource = Path.Combine(dir, "FakeTests.cs");
        File.WriteAllText(Path.Combine(dir, "FakeTests.Case.verified.txt"), "line one\nline two\nline three\n");

        var e = Assert.ThrowsExactly<AssertFailedException>(() => Snapshot.VerifyCore("line one\nline 2\nline three", null, fakeSource, "Case", accept: false));

        string received = Path.Combine(dir, "FakeTests.Case.received.txt");
        Assert.IsTrue(File.Exists(received));
        Assert.AreEqual("line one\nline 2\nline three\n", File.ReadAllText(received));
        StringAssert.Contains(e.Message, "- 2: line two");
        StringAssert.Contains(e.Message, "+ 2: line 2");
    }

    [TestMethod]
    public void Verify_Match_ThenPassesAndRemovesStaleReceived()
    {
        string dir = TestPaths.NewTempDirectory("snap");
        string fakeSource = Path.Combine(dir, "FakeTests.cs");
        File.WriteAllText(Path.Combine(dir, "FakeTests.Case_named.verified.txt"), "same\r\n");
        File.WriteAllText(Path.Combine(dir, "FakeTests.Case_named.received.txt"), "stale");

        Snapshot.VerifyCore("same", "named", fakeSource, "Case", accept: false);

        Assert.IsFalse(File.Exists(Path.Combine(dir, "FakeTests.Case_named.received.txt")));
    }

    [TestMethod]
    public void Verify_NoVerifiedFile_ThenFailsAndNamesTheMissingFile()
    {
        string dir = TestPaths.NewTempDirectory("snap");
        var e = Assert.ThrowsExactly<AssertFailedException>(() => Snapshot.VerifyCore("new", null, Path.Combine(dir, "X.cs"), "M", accept: false));
        StringAssert.Contains(e.Message, "No verified file exists yet");
    }

    [TestMethod]
    public void Verify_Accepting_ThenWritesVerifiedFile()
    {
        string dir = TestPaths.NewTempDirectory("snap");
        Snapshot.VerifyCore("fresh", null, Path.Combine(dir, "X.cs"), "M", accept: true);
        Assert.AreEqual("fresh\n", File.ReadAllText(Path.Combine(dir, "X.M.verified.txt")));
    }
}
