using System.Runtime.InteropServices;
using TraceQuery.Formats.Internals;
using TraceQuery.Model;

namespace TraceQuery.Formats.Chrome;

/// <summary>
/// Entry points for readers of other formats (the Perfetto reader) that hand over decoded records instead of JSON
/// text: the same state as <see cref="AddEvent"/> builds, without writing and re-reading an event. A slice made here is
/// named by a slice ref (an int: a thread slice's <see cref="Slice.Order"/>, 0 or more, or −1 − the index of an async
/// span) so links can join the very slices a record names (Perfetto's flow ids), not the
/// ones around a time.
/// </summary>
internal sealed partial class ChromeEventCollector
{
    /// <summary>No slice (an end with nothing open).</summary>
    public const int NoSlice = int.MinValue;

    private readonly List<(int From, int To, string Kind)> _directLinks = [];

    /// <summary>Span ids of error instants folded into the slice around them as exceptions (no span of their own).</summary>
    private readonly HashSet<ulong> _foldedInstants = [];

    /// <summary>Opens a slice on thread (<paramref name="pid"/>, <paramref name="tid"/>); returns its slice ref.</summary>
    public int BeginSlice(long pid, long tid, ulong ts, string cat, string name, KeyValuePair<string, string>[]? attributes)
    {
        _records++;
        var thread = Thread(pid, tid);
        thread.OpenBegins.Add(thread.Sync.Count);
        thread.Sync.Add(DirectSlice(ts, Open, cat, name, instant: false, attributes));
        return thread.Sync[^1].Order;
    }

    /// <summary>A zero-length slice (an instant) on a thread; returns its slice ref.</summary>
    public int InstantSlice(long pid, long tid, ulong ts, string cat, string name, KeyValuePair<string, string>[]? attributes)
    {
        _records++;
        var thread = Thread(pid, tid);
        thread.Sync.Add(DirectSlice(ts, ts, cat, name, instant: true, attributes));
        return thread.Sync[^1].Order;
    }

    /// <summary>Closes the innermost open slice of the thread; returns its slice ref, or <see cref="NoSlice"/> when none was open (counted).</summary>
    public int EndSlice(long pid, long tid, ulong ts, KeyValuePair<string, string>[]? attributes, long offset)
    {
        _records++;
        var thread = Thread(pid, tid);
        if (thread.OpenBegins.Count == 0)
        {
            _unmatchedEnds++;
            return NoSlice;
        }
        int at = thread.OpenBegins[^1];
        thread.OpenBegins.RemoveAt(thread.OpenBegins.Count - 1);
        ref var slice = ref CollectionsMarshal.AsSpan(thread.Sync)[at];
        slice.End = EndAt(slice.Start, ts, offset);
        if (attributes is not null)
        {
            slice.Error ??= ErrorOf(attributes);
            if (slice.Extra == 0)
            {
                _extras.Add(new SliceExtra { Attributes = attributes });
                slice.Extra = _extras.Count;
            }
            else
            {
                ref var extra = ref CollectionsMarshal.AsSpan(_extras)[slice.Extra - 1];
                extra.Attributes = extra.Attributes is null ? attributes : [.. extra.Attributes, .. attributes];
            }
        }
        return slice.Order;
    }

    /// <summary>
    /// Opens a span on <paramref name="pid"/>'s async track, inside <paramref name="parent"/> (a slice ref
    /// of an open async span, or <see cref="NoSlice"/>); returns its slice ref.
    /// </summary>
    public int BeginAsync(long pid, ulong ts, string cat, string name, int parent, KeyValuePair<string, string>[]? attributes)
    {
        _records++;
        _processFirstSeen.TryAdd(pid, _processFirstSeen.Count);
        _async.Add(new AsyncSlice
        {
            Pid = pid,
            Start = ts,
            End = Open,
            Function = _functions.GetId(cat, name),
            Name = name,
            Error = IsErrorCategory(cat) ? "" : ErrorOf(attributes),
            Parent = parent == NoSlice ? -1 : -1 - parent,
            Attributes = attributes,
        });
        return -_async.Count;
    }

    /// <summary>Closes the async span <paramref name="slice"/> (a slice ref from <see cref="BeginAsync"/>).</summary>
    public void EndAsync(int slice, ulong ts, KeyValuePair<string, string>[]? attributes, long offset)
    {
        _records++;
        ref var open = ref CollectionsMarshal.AsSpan(_async)[-1 - slice];
        open.End = EndAt(open.Start, ts, offset);
        if (attributes is not null)
        {
            open.Error ??= ErrorOf(attributes);
            open.Attributes = open.Attributes is null ? attributes : [.. open.Attributes, .. attributes];
        }
    }

    /// <summary>The state of counter series <paramref name="series"/> (made on first use), for <see cref="CounterValue"/>.</summary>
    public object CounterSeries(string series)
    {
        ref var state = ref CollectionsMarshal.GetValueRefOrAddDefault(_counters, series, out bool exists);
        if (!exists)
            state = new CounterState { LastTime = ulong.MinValue };
        return state!;
    }

    /// <summary>One value of a counter series (kept as min, max, last and a count, like a JSON <c>C</c> record).</summary>
    public void CounterValue(object series, ulong ts, double value)
    {
        _records++;
        var state = (CounterState)series;
        if (state.Count++ == 0)
            (state.Min, state.Max, state.Last, state.LastTime) = (value, value, value, ts);
        state.Min = Math.Min(state.Min, value);
        state.Max = Math.Max(state.Max, value);
        if (ts >= state.LastTime)
        {
            state.Last = value;
            state.LastTime = ts;
        }
        AddSkipped(CounterRecordKind);
    }

    private static readonly string CounterRecordKind = ChromePhases.Describe("C");

    /// <summary>Names a thread (the last name given wins).</summary>
    public void NameThread(long pid, long tid, string name) => _threadNames[(pid, tid)] = name;

    /// <summary>Names a process (the last name given wins).</summary>
    public void NameProcess(long pid, string name) => _processNames[pid] = name;

    /// <summary>A link between two slices made by the direct entry points (slice refs), kept at build time.</summary>
    public void AddDirectLink(int from, int to, string kind) => _directLinks.Add((from, to, kind));

    /// <summary>Interns a short text (names, keys) so repeats share one string.</summary>
    public string Intern(ReadOnlySpan<char> text) => _functions.Intern(text);

    private Slice DirectSlice(ulong start, ulong end, string cat, string name, bool instant, KeyValuePair<string, string>[]? attributes)
    {
        int extra = 0;
        if (attributes is not null)
        {
            _extras.Add(new SliceExtra { Attributes = attributes });
            extra = _extras.Count;
        }
        return new Slice
        {
            Start = start,
            End = end,
            Function = _functions.GetId(cat, name),
            Name = name,
            Error = IsErrorCategory(cat) ? "" : ErrorOf(attributes),
            Instant = instant,
            Order = _order++,
            Extra = extra,
        };
    }

    /// <summary>An attribute named <c>error</c> marks the slice failed with its text (as a JSON <c>args.error</c> does).</summary>
    private static string? ErrorOf(KeyValuePair<string, string>[]? attributes)
    {
        if (attributes is null)
            return null;
        foreach (var (key, value) in attributes)
        {
            if (key == "error")
                return value is "true" ? "" : value is "false" or "null" ? null : value;
        }
        return null;
    }

    /// <summary>
    /// Adds the direct links once every slice has its span id; a link to a slice that became no span (an error instant
    /// folded into its parent as an exception) is counted as unresolved and said in a warning.
    /// </summary>
    private long LinkDirect(TraceBuilder builder, ulong[] asyncIds)
    {
        if (_directLinks.Count == 0)
            return 0;
        var byOrder = new Dictionary<int, ulong>();
        foreach (var (from, to, _) in _directLinks)
        {
            byOrder.TryAdd(from, 0);
            byOrder.TryAdd(to, 0);
        }
        foreach (var thread in _threads.Values)
        {
            foreach (var slice in thread.Sync)
            {
                if (byOrder.ContainsKey(slice.Order))
                    byOrder[slice.Order] = _foldedInstants.Contains(slice.SpanId) ? 0 : slice.SpanId;
            }
        }
        ulong SpanOf(int slice) => slice >= 0 ? byOrder.GetValueOrDefault(slice) : asyncIds[-1 - slice];
        long unresolved = 0;
        foreach (var (from, to, kind) in _directLinks)
        {
            ulong a = SpanOf(from), b = SpanOf(to);
            if (a == 0 || b == 0)
            {
                unresolved++;
                continue;
            }
            builder.AddLink(a, b, kind);
        }
        if (unresolved > 0)
            _warnings.Add(JsonValues.Invariant($"{unresolved} flow link(s) named a slice that is no span (an error instant kept as an exception of the slice around it); they were not kept."));
        return unresolved;
    }
}
