namespace TraceQuery.Model.Internals;

/// <summary>
/// Gathers samples, frames and stacks for <see cref="TraceBuilder"/>: frames and stacks are deduplicated as they are
/// added (a dictionary each), samples are kept in the order added and sorted by time when the table is built.
/// </summary>
internal sealed class SampleCollector
{
    private readonly Dictionary<SampleFrame, int> _frameIndex = [];
    private readonly List<SampleFrame> _frames = [];
    private readonly Dictionary<(int Parent, int Frame), int> _stackIndex = [];
    private readonly List<int> _stackParents = [];
    private readonly List<int> _stackFrames = [];
    private readonly List<long> _timestamps = [];
    private readonly List<uint> _threads = [];
    private readonly List<int> _stacks = [];
    private readonly List<long> _weights = [];
    private readonly List<SampleState> _states = [];

    public int Count => _timestamps.Count;

    public int FrameCount => _frames.Count;

    public int StackCount => _stackParents.Count;

    public int AddFrame(SampleFrame frame)
    {
        if (_frameIndex.TryGetValue(frame, out int index))
            return index;
        index = _frames.Count;
        _frames.Add(frame);
        _frameIndex.Add(frame, index);
        return index;
    }

    public int AddStack(int parent, int frame)
    {
        if (_stackIndex.TryGetValue((parent, frame), out int index))
            return index;
        index = _stackParents.Count;
        _stackParents.Add(parent);
        _stackFrames.Add(frame);
        _stackIndex.Add((parent, frame), index);
        return index;
    }

    public void AddSample(uint threadId, long timestampNs, int stack, long weightNs, SampleState state)
    {
        _timestamps.Add(timestampNs);
        _threads.Add(threadId);
        _stacks.Add(stack);
        _weights.Add(weightNs);
        _states.Add(state);
    }

    public SampleTable Build()
    {
        if (_timestamps.Count == 0 && _frames.Count == 0)
            return SampleTable.Empty;
        int n = _timestamps.Count;
        var order = new int[n];
        for (int i = 0; i < n; i++)
            order[i] = i;
        bool sorted = true;
        for (int i = 1; i < n && sorted; i++)
            sorted = Compare(i - 1, i) <= 0;
        if (!sorted)
            Array.Sort(order, Compare);
        var timestamps = new long[n];
        var threads = new uint[n];
        var stacks = new int[n];
        var weights = new long[n];
        var states = new SampleState[n];
        for (int i = 0; i < n; i++)
        {
            int from = order[i];
            timestamps[i] = _timestamps[from];
            threads[i] = _threads[from];
            stacks[i] = _stacks[from];
            weights[i] = _weights[from];
            states[i] = _states[from];
        }
        return new SampleTable(timestamps, threads, stacks, weights, states, [.. _frames], [.. _stackParents], [.. _stackFrames]);
    }

    /// <summary>Time, then thread id, then the order added: a total order, so the sort is deterministic.</summary>
    private int Compare(int a, int b)
    {
        int c = _timestamps[a].CompareTo(_timestamps[b]);
        if (c != 0)
            return c;
        c = _threads[a].CompareTo(_threads[b]);
        return c != 0 ? c : a.CompareTo(b);
    }
}
