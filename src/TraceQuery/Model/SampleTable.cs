namespace TraceQuery.Model;

/// <summary>
/// The stack samples of a trace (sampled CPU profiles: V8 <c>Profile</c>/<c>ProfileChunk</c>, <c>.cpuprofile</c>,
/// EventPipe sample-profiler events), in columns: per sample its time, thread, stack, weight and state, sorted by time
/// (ties: thread id, then the order added). Stacks are a deduplicated prefix tree over a deduplicated frame table:
/// stack <c>s</c> is its frame <see cref="GetStackFrame"/> called from stack <see cref="GetStackParent"/>.
/// Immutable once built; <see cref="Empty"/> when the source has no samples.
/// </summary>
/// <remarks>Memory per sample: 8 (time) + 4 (thread) + 4 (stack) + 8 (weight) + 1 (state) = 25 bytes; per stack 8 bytes.</remarks>
public sealed class SampleTable
{
    /// <summary>The stack index that means "no stack" (the parent of a root frame; a sample with no frames).</summary>
    public const int NoStack = -1;

    private readonly long[] _timestamps;
    private readonly uint[] _threads;
    private readonly int[] _stacks;
    private readonly long[] _weights;
    private readonly SampleState[] _states;
    private readonly SampleFrame[] _frames;
    private readonly int[] _stackParents;
    private readonly int[] _stackFrames;
    private readonly int[] _stackDepths;

    /// <summary>A table with no samples.</summary>
    public static SampleTable Empty { get; } = new([], [], [], [], [], [], [], []);

    internal SampleTable(long[] timestamps, uint[] threads, int[] stacks, long[] weights, SampleState[] states,
        SampleFrame[] frames, int[] stackParents, int[] stackFrames)
    {
        (_timestamps, _threads, _stacks, _weights, _states) = (timestamps, threads, stacks, weights, states);
        (_frames, _stackParents, _stackFrames) = (frames, stackParents, stackFrames);
        // Parents always precede their children (the builder can only refer to a stack it already has).
        _stackDepths = new int[stackParents.Length];
        for (int s = 0; s < stackParents.Length; s++)
            _stackDepths[s] = stackParents[s] < 0 ? 1 : _stackDepths[stackParents[s]] + 1;
        long total = 0, cpu = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            total += weights[i];
            if (states[i] != SampleState.Waiting)
                cpu += weights[i];
        }
        TotalWeightNs = total;
        CpuWeightNs = cpu;
        if (timestamps.Length > 0)
        {
            TimeStartNs = timestamps[0];
            TimeEndNs = timestamps[^1];
        }
    }

    /// <summary>Number of samples.</summary>
    public int Count => _timestamps.Length;

    /// <summary>Each sample's time in nanoseconds, ascending.</summary>
    public ReadOnlySpan<long> TimestampsNs => _timestamps;

    /// <summary>Each sample's thread (the model's thread id, as in <see cref="ExecutionTrace.Threads"/>).</summary>
    public ReadOnlySpan<uint> ThreadIds => _threads;

    /// <summary>Each sample's stack (an index into the stack table), or <see cref="NoStack"/>.</summary>
    public ReadOnlySpan<int> Stacks => _stacks;

    /// <summary>Each sample's weight in nanoseconds (the sampling interval it stands for).</summary>
    public ReadOnlySpan<long> WeightsNs => _weights;

    /// <summary>Each sample's state: running, waiting, or unknown (counted as running).</summary>
    public ReadOnlySpan<SampleState> States => _states;

    /// <summary>The deduplicated frames stacks refer to, in the order first added.</summary>
    public IReadOnlyList<SampleFrame> Frames => _frames;

    /// <summary>Number of distinct stacks.</summary>
    public int StackCount => _stackParents.Length;

    /// <summary>Sum of all sample weights (running and waiting), in nanoseconds.</summary>
    public long TotalWeightNs { get; }

    /// <summary>Sum of the weights of the samples that are CPU (every state but <see cref="SampleState.Waiting"/>), in nanoseconds.</summary>
    public long CpuWeightNs { get; }

    /// <summary>Time of the first sample (0 when there is none).</summary>
    public long TimeStartNs { get; }

    /// <summary>Time of the last sample (0 when there is none).</summary>
    public long TimeEndNs { get; }

    /// <summary>True when sample <paramref name="sample"/> counts as CPU time (not <see cref="SampleState.Waiting"/>).</summary>
    public bool IsCpu(int sample) => _states[sample] != SampleState.Waiting;

    /// <summary>The caller stack of <paramref name="stack"/>, or <see cref="NoStack"/> for a root frame. O(1).</summary>
    public int GetStackParent(int stack) => _stackParents[stack];

    /// <summary>The frame (an index into <see cref="Frames"/>) at the top of <paramref name="stack"/>. O(1).</summary>
    public int GetStackFrame(int stack) => _stackFrames[stack];

    /// <summary>How many frames <paramref name="stack"/> holds (1 for a root frame; 0 for <see cref="NoStack"/>). O(1).</summary>
    public int GetStackDepth(int stack) => stack < 0 ? 0 : _stackDepths[stack];

    /// <summary>The frames of <paramref name="stack"/> from the root (outermost caller) to the leaf, as frame indices. O(depth).</summary>
    public int[] GetFramesRootFirst(int stack)
    {
        var frames = new int[GetStackDepth(stack)];
        for (int i = frames.Length - 1; i >= 0; i--, stack = _stackParents[stack])
            frames[i] = _stackFrames[stack];
        return frames;
    }
}
