using System.Collections.Concurrent;
using System.Diagnostics;
using TraceQuery.Formats.Atf;
using TraceQuery.Model;
using TraceQuery.Recording.Internals;

namespace TraceQuery.Recording;

/// <summary>
/// An in-process flight recorder of <see cref="Activity"/> spans: one line in a host
/// (<c>using var recorder = TraceRecorder.Start(sourceNames: ["MyApp.*"]);</c>) and every activity of a
/// matching <see cref="ActivitySource"/> is recorded into a bounded ring: its start as a CALL, its stop as a
/// RETURN, and an error status or recorded <c>exception</c> event as an EXCEPTION carrying the message.
/// <see cref="Snapshot"/> turns the newest <see cref="Capacity"/> events into a <see cref="ExecutionTrace"/> that
/// filters, <c>Analyzer</c> and <c>QueryEngine</c> take as they take any other.
/// </summary>
/// <remarks>
/// <para>Hot path: a start or stop costs one interlocked increment, one compare-exchange and a 72-byte copy
/// into a preallocated slot, plus a lock-free dictionary lookup of the (source, name) function; no lock and
/// no allocation by the recorder once a name and a thread have been seen (the first sight of each registers
/// it). Texts are not copied: an entry references the status description or the <c>exception.type</c> and
/// <c>exception.message</c> tag values the activity already holds, so what allocates is the activity and its
/// exception event (for <see cref="Activity.AddException"/>, the message is the exception's own string,
/// which some exception types build when asked). Reading <see cref="Activity.SpanId"/> may let the
/// activity cache its id string, as any exporter does.</para>
/// <para>Spans keep their identity (the W3C span id, or a hash of a hierarchical id): an activity started
/// on one thread and stopped on another, and overlapping siblings of one operation, pair exactly. A span
/// belongs to the managed thread that started it (<see cref="Environment.CurrentManagedThreadId"/>).
/// Timestamps are the activity's own UTC times in nanoseconds since the Unix epoch (100 ns resolution).
/// Exceptions are collected when the activity stops, so an activity still running at a snapshot shows its
/// CALL only.</para>
/// <para>Listening is process-wide (<see cref="ActivitySource.AddActivityListener"/>): the recorder asks for
/// all data (<see cref="ActivitySamplingResult.AllData"/>), so matching activities are created even when no
/// other listener wants them, without marking them recorded for downstream samplers.</para>
/// </remarks>
public sealed partial class TraceRecorder : IDisposable
{
    private const string ExceptionEventName = "exception";
    private const string ExceptionTypeTag = "exception.type";
    private const string ExceptionMessageTag = "exception.message";
    private const int MaxNamedThreads = 4096;

    private static int _lastId;

    [ThreadStatic]
    private static int _threadNotedBy;

    private readonly EventRing _ring;
    private readonly FunctionTable _functions;
    private readonly SourceNamePattern[] _patterns;
    private readonly ConcurrentDictionary<int, string?> _threadNames = new();
    private readonly ActivityListener _listener;
    private readonly bool _useDisplayName;
    private readonly int _id = Interlocked.Increment(ref _lastId);
    private int _namedThreads;
    private int _disposed;

    private TraceRecorder(TraceRecorderOptions options, int capacity)
    {
        Options = options;
        _ring = new EventRing(capacity);
        _functions = new FunctionTable(options.MaxFunctions);
        _patterns = [.. options.SourceNames.Select(p => new SourceNamePattern(p))];
        _useDisplayName = options.Naming == ActivityNaming.DisplayName;
        _listener = new ActivityListener
        {
            ShouldListenTo = ShouldListenTo,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            SampleUsingParentId = static (ref ActivityCreationOptions<string> _) => ActivitySamplingResult.AllData,
            ActivityStarted = OnStarted,
            ActivityStopped = OnStopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The options the recorder was started with.</summary>
    public TraceRecorderOptions Options { get; }

    /// <summary>How many events the ring keeps: <see cref="TraceRecorderOptions.Capacity"/> rounded up to a power of two.</summary>
    public int Capacity => _ring.Capacity;

    /// <summary>How many events were recorded since the start, kept or not (the ring keeps the newest <see cref="Capacity"/>).</summary>
    public long RecordedEvents => _ring.Written;

    /// <summary>
    /// Starts recording the activities of the sources whose names match <paramref name="sourceNames"/>
    /// (<c>*</c> and <c>?</c> wildcards, ignoring case) into a ring of <paramref name="capacity"/> events.
    /// Dispose the recorder to stop.
    /// </summary>
    public static TraceRecorder Start(IReadOnlyList<string> sourceNames, int capacity = TraceRecorderOptions.DefaultCapacity) =>
        Start(new TraceRecorderOptions { SourceNames = sourceNames, Capacity = capacity });

    /// <summary>Starts recording as <paramref name="options"/> say. Dispose the recorder to stop.</summary>
    /// <exception cref="ArgumentException">No source name, an empty one, or a capacity or function limit out of range.</exception>
    public static TraceRecorder Start(TraceRecorderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.SourceNames);
        if (options.SourceNames.Count == 0)
            throw new ArgumentException("Name at least one ActivitySource (wildcards allowed, e.g. \"MyApp.*\").", nameof(options));
        foreach (string name in options.SourceNames)
        {
            if (string.IsNullOrEmpty(name))
                throw new ArgumentException("A source name must not be null or empty; use \"*\" to record every source.", nameof(options));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Capacity, TraceRecorderOptions.MinCapacity, nameof(options.Capacity));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Capacity, TraceRecorderOptions.MaxCapacity, nameof(options.Capacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxFunctions, 1, nameof(options.MaxFunctions));
        return new TraceRecorder(options, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)options.Capacity));
    }

    /// <summary>Snapshots the ring (see <see cref="Snapshot"/>) and writes it as an ATF v2 session into <paramref name="directory"/>.</summary>
    /// <remarks>ATF has no place for messages or thread names: the events (and so spans and findings) survive, the texts do not.</remarks>
    public void WriteAtf(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        using var trace = Snapshot();
        AtfWriter.Write(trace, directory);
    }

    /// <summary>Stops listening; what was recorded stays available to <see cref="Snapshot"/>. Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            _listener.Dispose();
    }

    private bool ShouldListenTo(ActivitySource source)
    {
        foreach (var pattern in _patterns)
        {
            if (pattern.IsMatch(source.Name))
                return true;
        }
        return false;
    }

    private void OnStarted(Activity activity)
    {
        int thread = Environment.CurrentManagedThreadId;
        NoteThread(thread);
        long start = activity.StartTimeUtc.Ticks;
        _ring.Write(new RecordedEvent
        {
            Kind = RecordedKind.Start,
            SpanId = SpanIdOf(activity),
            ParentSpanId = ParentSpanIdOf(activity),
            StartTicks = start,
            TimeTicks = start,
            Function = _functions.IndexOf(activity.Source, _useDisplayName ? activity.DisplayName : activity.OperationName),
            ThreadId = thread,
        });
    }

    private void OnStopped(Activity activity)
    {
        int thread = Environment.CurrentManagedThreadId;
        ulong spanId = SpanIdOf(activity);
        int function = _functions.IndexOf(activity.Source, _useDisplayName ? activity.DisplayName : activity.OperationName);
        foreach (ref readonly var item in activity.EnumerateEvents())
        {
            if (item.Name != ExceptionEventName)
                continue;
            object? type = null, message = null;
            foreach (ref readonly var tag in item.EnumerateTagObjects())
            {
                if (tag.Key == ExceptionTypeTag)
                    type = tag.Value;
                else if (tag.Key == ExceptionMessageTag)
                    message = tag.Value;
            }
            _ring.Write(new RecordedEvent
            {
                Kind = RecordedKind.Exception,
                SpanId = spanId,
                TimeTicks = item.Timestamp.UtcTicks,
                Function = function,
                ThreadId = thread,
                Text = message,
                Type = type,
            });
        }
        long start = activity.StartTimeUtc.Ticks;
        bool failed = activity.Status == ActivityStatusCode.Error;
        _ring.Write(new RecordedEvent
        {
            Kind = RecordedKind.Stop,
            SpanId = spanId,
            ParentSpanId = ParentSpanIdOf(activity),
            StartTicks = start,
            TimeTicks = start + activity.Duration.Ticks,
            Function = function,
            ThreadId = thread,
            Failed = failed,
            Text = failed ? activity.StatusDescription : null,
        });
    }

    private void NoteThread(int thread)
    {
        if (_threadNotedBy == _id)
            return;
        _threadNotedBy = _id; // an id, not a reference: a thread must not keep a stopped recorder alive
        if (!_threadNames.ContainsKey(thread) && Interlocked.Increment(ref _namedThreads) <= MaxNamedThreads)
            _threadNames.TryAdd(thread, Thread.CurrentThread.Name);
    }

    private static ulong SpanIdOf(Activity activity) =>
        activity.IdFormat == ActivityIdFormat.W3C ? ToUInt64(activity.SpanId) : HashId(activity.Id);

    private static ulong ParentSpanIdOf(Activity activity) =>
        activity.IdFormat == ActivityIdFormat.W3C ? ToUInt64(activity.ParentSpanId) : HashId(activity.ParentId);

    /// <summary>The span id's 16 hex digits as a number (the activity keeps them as a string; no allocation).</summary>
    private static ulong ToUInt64(ActivitySpanId id)
    {
        var hex = id.ToHexString().AsSpan();
        if (hex.Length != 16)
            return 0;
        ulong value = 0;
        foreach (char c in hex)
        {
            uint digit = (uint)(c - '0');
            if (digit > 9)
                digit = (uint)((c | 0x20) - 'a') + 10;
            value = (value << 4) | (digit & 0xF);
        }
        return value;
    }

    /// <summary>64-bit FNV-1a of a hierarchical id (<c>|root.1.2.</c>); 0 stays "none", a hash of 0 becomes 1.</summary>
    private static ulong HashId(string? id)
    {
        if (string.IsNullOrEmpty(id))
            return 0;
        ulong hash = 14695981039346656037;
        foreach (char c in id)
            hash = (hash ^ c) * 1099511628211;
        return hash == 0 ? 1 : hash;
    }
}
