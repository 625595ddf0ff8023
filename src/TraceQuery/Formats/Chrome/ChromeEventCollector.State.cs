using TraceQuery.Model;

namespace TraceQuery.Formats.Chrome;

internal sealed partial class ChromeEventCollector
{
    /// <summary>A slice of a thread's call stack (<c>X</c>, a <c>B</c>/<c>E</c> pair, an instant).</summary>
    private struct Slice
    {
        public ulong Start;
        public ulong End;
        public ulong Function;
        public string? Error;

        /// <summary>True when <see cref="Error"/> is the record's own failure (a failed request), not an exception raised in the slice around it.</summary>
        public bool StatusError;
        public bool Instant;
        public string Name;
        public int Order;
        public ulong SpanId;

        /// <summary>1 + the index of the slice's args and flow binding in the collector's extras; 0 for none (most slices), so a slice stays small.</summary>
        public int Extra;
    }

    /// <summary>What only some slices carry: their args and, for a slice that starts or ends a flow, its category and <c>bind_id</c>.</summary>
    private struct SliceExtra
    {
        public KeyValuePair<string, string>[]? Attributes;
        public string? BindId;
        public bool FlowIn;
        public bool FlowOut;
    }

    /// <summary>One <c>(pid, tid)</c> that carries a record other than metadata.</summary>
    private sealed class ThreadState(int firstSeen, long pid, long tid)
    {
        public int FirstSeen { get; } = firstSeen;
        public long Pid { get; } = pid;
        public long Tid { get; } = tid;
        public List<Slice> Sync { get; } = [];
        public List<int> OpenBegins { get; } = [];
        public uint Id { get; set; }

        /// <summary>True when a slice of a device category ran on it (<see cref="ProducerConventions.IsDeviceCategory"/>).</summary>
        public bool Device { get; set; }
    }

    /// <summary>An async span (<c>b</c>/<c>e</c>, legacy <c>S</c>/<c>F</c>), kept on its process's async track.</summary>
    private struct AsyncSlice
    {
        public long Pid;
        public ulong Start;
        public ulong End;
        public ulong Function;
        public string Name;
        public string? Error;
        public int Parent;
        public KeyValuePair<string, string>[]? Attributes;
        public List<AsyncStep>? Steps;
        public bool Legacy;
    }

    /// <summary>An <c>n</c> or <c>T</c> inside an open async span: a span event of it.</summary>
    private readonly record struct AsyncStep(ulong Time, string Name, KeyValuePair<string, string>[]? Attributes);

    /// <summary>A flow event (<c>s</c>/<c>t</c>/<c>f</c>), bound to a slice of its thread at build time.</summary>
    private struct FlowStep
    {
        public string Key;
        public string Category;
        public string Name;
        public char Phase;
        public ThreadState Thread;
        public ulong Time;

        /// <summary>True when it binds to the slice around it; false (a default <c>f</c>) to the next slice that starts.</summary>
        public bool Enclosing;
        public int Order;
        public ulong SpanId;
    }

    /// <summary>One counter series while it is read.</summary>
    private sealed class CounterState
    {
        public long Count;
        public double Min;
        public double Max;
        public double Last;
        public ulong LastTime;
    }
}
