using TraceQuery.Model.Internals;

namespace TraceQuery.Model;

public sealed partial class TraceBuilder
{
    private readonly SampleCollector _samples = new();

    /// <summary>Samples added so far.</summary>
    public int SampleCount => _samples.Count;

    /// <summary>
    /// Adds a frame to the trace's frame table and returns its index; the same frame (by value) always returns the
    /// same index. O(1) amortized.
    /// </summary>
    public int AddSampleFrame(SampleFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame.Function, nameof(frame));
        ArgumentOutOfRangeException.ThrowIfNegative(frame.Line, nameof(frame));
        ArgumentOutOfRangeException.ThrowIfNegative(frame.Column, nameof(frame));
        return _samples.AddFrame(frame);
    }

    /// <summary>
    /// Returns the stack that is frame <paramref name="frame"/> (from <see cref="AddSampleFrame"/>) called from stack
    /// <paramref name="parentStack"/> (<see cref="SampleTable.NoStack"/> for an outermost frame), adding it when new:
    /// stacks form a deduplicated prefix tree, so a reader walks each sample's frames from the root and keeps the
    /// index of the last one. O(1) amortized.
    /// </summary>
    public int AddSampleStack(int parentStack, int frame)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parentStack, SampleTable.NoStack);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(parentStack, _samples.StackCount);
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(frame, _samples.FrameCount);
        return _samples.AddStack(parentStack, frame);
    }

    /// <summary>
    /// Returns the stack of <paramref name="framesRootFirst"/> (outermost caller first, leaf last), adding frames and
    /// stacks as needed; <see cref="SampleTable.NoStack"/> for no frames. O(frames).
    /// </summary>
    public int AddSampleStack(ReadOnlySpan<SampleFrame> framesRootFirst)
    {
        int stack = SampleTable.NoStack;
        foreach (var frame in framesRootFirst)
            stack = _samples.AddStack(stack, AddSampleFrame(frame));
        return stack;
    }

    /// <summary>
    /// Adds a stack sample taken on thread <paramref name="threadId"/> (declared as with <see cref="AddThread(uint, string?)"/>
    /// if new) at <paramref name="timestampNs"/>, whose stack is <paramref name="stack"/> (from <see cref="AddSampleStack(int, int)"/>,
    /// or <see cref="SampleTable.NoStack"/>) and which stands for <paramref name="weightNs"/> nanoseconds (the sampling
    /// interval). <paramref name="state"/> says whether the thread was running or waiting; waiting samples are not CPU.
    /// Samples may come in any order; they are sorted by time at <see cref="Build"/>. O(1) amortized.
    /// </summary>
    public TraceBuilder AddSample(uint threadId, ulong timestampNs, int stack, long weightNs, SampleState state = SampleState.Unknown)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(timestampNs, (ulong)long.MaxValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(stack, SampleTable.NoStack);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(stack, _samples.StackCount);
        ArgumentOutOfRangeException.ThrowIfNegative(weightNs);
        if (state > SampleState.Waiting)
            throw new ArgumentOutOfRangeException(nameof(state), state, "Not a sample state.");
        Lane(threadId);
        _samples.AddSample(threadId, (long)timestampNs, stack, weightNs, state);
        return this;
    }
}
