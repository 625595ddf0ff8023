using TraceQuery.Formats;
using TraceQuery.Formats.Atf;
using TraceQuery.Model;

namespace TraceQuery.Protocol.Internals;

/// <summary>
/// Loaded traces shared by concurrent requests, bounded, least recently used evicted first. A trace in
/// use by a request is disposed only when its last user releases it. Lookups count as cache hits or misses
/// on <paramref name="instruments"/>.
/// </summary>
internal sealed class TraceCache(int capacity, AtfReadOptions readOptions, JsonTraceReadOptions jsonOptions, QueryInstruments? instruments = null) : IDisposable
{
    private readonly object _gate = new();
    private readonly LinkedList<Entry> _order = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ExecutionTrace> _registered = new(StringComparer.Ordinal);
    private bool _disposed;

    public sealed class Entry(string key, Lazy<ExecutionTrace> trace)
    {
        public string Key { get; } = key;
        public Lazy<ExecutionTrace> Trace { get; } = trace;
        public int Users { get; set; }
        public bool Evicted { get; set; }
    }

    public readonly record struct Lease(TraceCache Owner, Entry? Entry, ExecutionTrace Trace) : IDisposable
    {
        public void Dispose() => Owner.Release(Entry);
    }

    public int Count
    {
        get
        {
            lock (_gate)
                return _order.Count;
        }
    }

    public void Register(string name, ExecutionTrace trace)
    {
        lock (_gate)
            _registered[name] = trace;
    }

    public bool TryGetOnlyRegistered(out string name)
    {
        lock (_gate)
        {
            name = _registered.Count == 1 ? _registered.Keys.First() : "";
            return _registered.Count == 1;
        }
    }

    public bool TryGetRegistered(string name, out ExecutionTrace trace)
    {
        lock (_gate)
            return _registered.TryGetValue(name, out trace!);
    }

    /// <summary>True when <paramref name="fullPath"/> is cached and already read (a request for it will not read again).</summary>
    public bool IsLoaded(string fullPath)
    {
        lock (_gate)
            return _byKey.TryGetValue(fullPath, out var node) && node.Value.Trace.IsValueCreated;
    }

    public Lease Acquire(string fullPath)
    {
        Entry entry;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_byKey.TryGetValue(fullPath, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                entry = node.Value;
                instruments?.RecordCacheLookup(hit: true);
            }
            else
            {
                // A session directory is read with the server's ATF caps; a file by its content (Chrome, OTLP; gzip or not) with its JSON caps.
                entry = new Entry(fullPath, new Lazy<ExecutionTrace>(() => Directory.Exists(fullPath) ? AtfReader.Open(fullPath, readOptions) : TraceFile.Open(fullPath, jsonOptions), LazyThreadSafetyMode.ExecutionAndPublication));
                instruments?.RecordCacheLookup(hit: false);
                _byKey[fullPath] = _order.AddFirst(entry);
                while (_order.Count > Math.Max(1, capacity))
                {
                    var last = _order.Last!.Value;
                    _order.RemoveLast();
                    _byKey.Remove(last.Key);
                    last.Evicted = true;
                    if (last.Users == 0)
                        DisposeEntry(last);
                }
            }
            entry.Users++;
        }
        try
        {
            return new Lease(this, entry, entry.Trace.Value);
        }
        catch
        {
            lock (_gate)
            {
                entry.Users--;
                // A trace that failed to load is not cached: the next request tries again.
                if (_byKey.TryGetValue(entry.Key, out var node) && node.Value == entry)
                {
                    _order.Remove(node);
                    _byKey.Remove(entry.Key);
                }
            }
            throw;
        }
    }

    private void Release(Entry? entry)
    {
        if (entry is null)
            return;
        lock (_gate)
        {
            entry.Users--;
            if (entry.Users == 0 && entry.Evicted)
                DisposeEntry(entry);
        }
    }

    private static void DisposeEntry(Entry entry)
    {
        if (entry.Trace.IsValueCreated)
            entry.Trace.Value.Dispose();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var entry in _order)
            {
                entry.Evicted = true;
                if (entry.Users == 0)
                    DisposeEntry(entry);
            }
            _order.Clear();
            _byKey.Clear();
        }
    }
}
