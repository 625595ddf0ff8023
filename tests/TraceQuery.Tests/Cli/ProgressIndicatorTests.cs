using TraceQuery.Cli;

namespace TraceQuery.Tests.Cli;

[TestClass]
public sealed class ProgressIndicatorTests
{
    [TestMethod]
    public void Disabled_ThenWritesNothing()
    {
        var error = new StringWriter();
        using (var progress = new ProgressIndicator(error, enabled: false, "loading", TimeSpan.Zero))
        {
            Thread.Sleep(100);
            Assert.IsFalse(progress.HasDrawn);
            progress.Step("answering");
        }
        Assert.AreEqual("", error.ToString());
    }

    [TestMethod]
    public void Enabled_SlowStep_ThenDrawsInPlaceAndErasesOnDispose()
    {
        var error = new StringWriter();
        using (var progress = new ProgressIndicator(error, enabled: true, "loading big", TimeSpan.FromMilliseconds(10)))
        {
            // On a busy machine the timer may be late: wait for the first drawing, however long it takes.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!progress.HasDrawn && DateTime.UtcNow < deadline)
                Thread.Sleep(10);
            Assert.IsTrue(progress.HasDrawn, "the indicator never drew");
            progress.Step("answering");
        }
        string text = error.ToString();
        StringAssert.StartsWith(text, "\r");
        StringAssert.Contains(text, "loading big");
        Assert.IsFalse(text.Contains('\n', StringComparison.Ordinal), "redrawn in place");
        Assert.IsTrue(text.EndsWith('\r') && text.TrimEnd('\r').Split('\r')[^1].Trim().Length == 0, "erased at the end: " + text);
    }

    [TestMethod]
    public void Enabled_FastStep_ThenWritesNothing()
    {
        var error = new StringWriter();
        using (new ProgressIndicator(error, enabled: true, "loading small"))
        {
        }
        Assert.AreEqual("", error.ToString());
    }
}
