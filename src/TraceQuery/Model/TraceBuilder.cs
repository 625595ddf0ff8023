using TraceQuery.Model.Internals;

namespace TraceQuery.Model;

/// <summary>
/// Builds a <see cref="Trace"/> from events produced in memory (generators, recorders, non-ATF formats).
/// Add events per thread in the order they happened, then call <see cref="Build"/> once.
/// </summary>
public sealed class TraceBuilder
{
    private readonly SortedDictionary<uint, ThreadLane> _threads = [];
    private readonly List<ModuleInfo> _modules = [];
    private readonly List<SymbolInfo> _symbols = [];
    private bool _built;

    private sealed class ThreadLane
    {
        public List<TraceEvent> Events { get; } = [];
        public List<DetailRecord> Details { get; } = [];
        public string? Name { get; set; }
    }

    /// <summary>Metadata the built trace carries (format name, os, arch, clock).</summary>
    public TraceMetadata Metadata { get; set; } = new() { SourceFormat = "memory" };

    /// <summary>Adds a module to the symbol table.</summary>
    public TraceBuilder AddModule(ModuleInfo module)
    {
        ArgumentNullException.ThrowIfNull(module);
        _modules.Add(module);
        return this;
    }

    /// <summary>Adds a function name to the symbol table.</summary>
    public TraceBuilder AddSymbol(SymbolInfo symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        _symbols.Add(symbol);
        return this;
    }

    /// <summary>Declares a thread (so that a thread with no events still appears) and optionally names it.</summary>
    public TraceBuilder AddThread(uint threadId, string? name = null)
    {
        var lane = Lane(threadId);
        lane.Name = name ?? lane.Name;
        return this;
    }

    /// <summary>Appends an event to the thread its <see cref="TraceEvent.ThreadId"/> names.</summary>
    public TraceBuilder Add(in TraceEvent traceEvent)
    {
        Lane(traceEvent.ThreadId).Events.Add(traceEvent);
        return this;
    }

    /// <summary>
    /// Appends an event with a detail record; the event's <see cref="TraceEvent.DetailSeq"/> is set to the
    /// record's position in the thread's detail lane.
    /// </summary>
    public TraceBuilder Add(in TraceEvent traceEvent, ReadOnlyMemory<byte> detailPayload, ushort recordType)
    {
        var lane = Lane(traceEvent.ThreadId);
        uint detailSeq = (uint)lane.Details.Count;
        lane.Details.Add(new DetailRecord(recordType, 0, (uint)lane.Events.Count, traceEvent.ThreadId, traceEvent.TimestampNs, detailPayload));
        lane.Events.Add(traceEvent with { DetailSeq = detailSeq });
        return this;
    }

    /// <summary>Events added so far to one thread.</summary>
    public int CountEvents(uint threadId) => _threads.TryGetValue(threadId, out var lane) ? lane.Events.Count : 0;

    /// <summary>
    /// Builds the trace. Events with an invalid kind, or whose detail link points past the thread's
    /// detail records, are rejected with an <see cref="ArgumentException"/>.
    /// </summary>
    public Trace Build()
    {
        if (_built)
            throw new InvalidOperationException("Build() was already called on this builder.");
        _built = true;
        var inputs = new List<ThreadInput>(_threads.Count);
        var details = new List<IReadOnlyList<DetailRecord>>(_threads.Count);
        bool anyDetail = false;
        foreach (var (id, lane) in _threads)
        {
            inputs.Add(new ThreadInput
            {
                ThreadId = id,
                Events = new EventSource(lane.Events.ToArray()),
                DetailRecordCount = (uint)lane.Details.Count,
                DetailComplete = true,
                Name = lane.Name,
            });
            details.Add(lane.Details);
            anyDetail |= lane.Details.Count > 0;
        }
        var columns = TraceColumnBuilder.Build(inputs, out var error);
        if (error is { } e)
        {
            throw new ArgumentException(
                $"Thread {inputs[e.ThreadIndex].ThreadId}, event {e.Position}: {e.Defect} ({e.Event}).");
        }
        return new Trace(columns, new SymbolTable(_modules, _symbols), Metadata, anyDetail ? new InMemoryDetailStore(details) : null);
    }

    private ThreadLane Lane(uint threadId)
    {
        if (!_threads.TryGetValue(threadId, out var lane))
            _threads[threadId] = lane = new ThreadLane();
        return lane;
    }
}
