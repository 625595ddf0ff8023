using TraceQuery.Model;

namespace TraceQuery.Tests.Model;

[TestClass]
public sealed class SampleTableTests
{
    [TestMethod]
    public void AddSampleStack_SameFramesTwice_ThenOneStackAndFramesDeduplicated()
    {
        var builder = new TraceBuilder();
        int a = builder.AddSampleStack([new SampleFrame("main", "app.js", 1), new SampleFrame("loadConfig", "app.js", 10), new SampleFrame("JSON.parse")]);
        int b = builder.AddSampleStack([new SampleFrame("main", "app.js", 1), new SampleFrame("loadConfig", "app.js", 10), new SampleFrame("JSON.parse")]);
        int c = builder.AddSampleStack([new SampleFrame("main", "app.js", 1), new SampleFrame("hot", "app.js", 20)]);
        Assert.AreEqual(a, b);
        Assert.AreNotEqual(a, c);
        builder.AddSample(7, 2_000, a, 1_000, SampleState.Running);
        builder.AddSample(7, 1_000, c, 1_000, SampleState.Running);
        builder.AddSample(3, 2_000, SampleTable.NoStack, 500, SampleState.Waiting);
        using var trace = builder.Build();
        var samples = trace.Samples;

        Assert.AreEqual(3, samples.Count);
        Assert.AreEqual(4, samples.Frames.Count); // main, loadConfig, JSON.parse, hot
        Assert.AreEqual(4, samples.StackCount); // main, main>loadConfig, main>loadConfig>JSON.parse, main>hot
        CollectionAssert.AreEqual(new long[] { 1_000, 2_000, 2_000 }, samples.TimestampsNs.ToArray());
        CollectionAssert.AreEqual(new uint[] { 7, 3, 7 }, samples.ThreadIds.ToArray()); // ties: thread id
        Assert.AreEqual(2_500, samples.TotalWeightNs);
        Assert.AreEqual(2_000, samples.CpuWeightNs);
        Assert.IsFalse(samples.IsCpu(1));
        Assert.AreEqual(3, samples.GetStackDepth(a));
        var names = samples.GetFramesRootFirst(samples.Stacks[2]).Select(f => samples.Frames[f].Function).ToArray();
        CollectionAssert.AreEqual(new[] { "main", "loadConfig", "JSON.parse" }, names);
        Assert.AreEqual(10, samples.Frames[samples.GetStackFrame(samples.GetStackParent(a))].Line);
        Assert.AreEqual(3, trace.Metadata.CpuSamples);
        Assert.AreEqual(1_000, trace.TimeStartNs);
        Assert.AreEqual(2_000, trace.TimeEndNs);
        CollectionAssert.AreEqual(new uint[] { 3, 7 }, trace.Threads.Select(t => t.Id).ToArray());
    }

    [TestMethod]
    public void AddSample_UnknownStackOrNegativeWeight_ThenArgumentOutOfRange()
    {
        var builder = new TraceBuilder();
        int frame = builder.AddSampleFrame(new SampleFrame("f"));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => builder.AddSample(1, 0, 0, 1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => builder.AddSampleStack(0, frame));
        int stack = builder.AddSampleStack(SampleTable.NoStack, frame);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => builder.AddSample(1, 0, stack, -1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => builder.AddSampleStack(stack, frame + 1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => builder.AddSample(1, 0, stack, 1, (SampleState)9));
        Assert.AreEqual(0, builder.SampleCount);
    }

    [TestMethod]
    public void Build_NoSamples_ThenEmptyTable()
    {
        using var trace = new TraceBuilder().Build();
        Assert.AreSame(SampleTable.Empty, trace.Samples);
        Assert.AreEqual(0, trace.Samples.CpuWeightNs);
    }
}
