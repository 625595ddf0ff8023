using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using TraceQuery.Model;

namespace TraceQuery.Analysis;

/// <summary>
/// Values derived from one trace (the unfiltered analysis, function statistics, exemplars, timeline) computed once
/// and kept for the trace's life, like its spans: a small table per trace (a <see cref="ConditionalWeakTable{TKey, TValue}"/>,
/// so it dies with the trace) of at most <see cref="Capacity"/> entries, keyed by everything the value depends on
/// (a value-equal key, e.g. a tuple holding the analyzer options). N concurrent first callers share one computation;
/// a caller's cancellation ends only its own wait, and the computation is cancelled (and forgotten) only when every
/// caller waiting for it has gone, so no caller sees a value cancelled by another. A failed computation is not kept.
/// </summary>
internal sealed class TraceMemo
{
    /// <summary>Most entries kept per trace; the oldest goes first (callers still waiting on it keep their result).</summary>
    internal const int Capacity = 8;

    private static readonly ConditionalWeakTable<ExecutionTrace, TraceMemo> Memos = [];

    private readonly List<Entry> _entries = [];
    private int _computations;

    /// <summary>The value of <paramref name="key"/> for <paramref name="trace"/>, computed by <paramref name="compute"/> on first use.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public static T Get<T>(ExecutionTrace trace, object key, Func<CancellationToken, T> compute, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(trace);
        return (T)Memos.GetValue(trace, static _ => new TraceMemo()).GetOrCompute(key, ct => compute(ct), cancellationToken);
    }

    /// <summary>
    /// Starts computing <paramref name="key"/> for <paramref name="trace"/> in the background when no entry holds it, so a
    /// later <see cref="Get"/> finds it running or done (a first request overlaps independent values). No caller waits on
    /// it until then, so nothing cancels it; a failure is reported to, and forgotten by, the first <see cref="Get"/>.
    /// </summary>
    public static void Prefetch<T>(ExecutionTrace trace, object key, Func<CancellationToken, T> compute)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(trace);
        Memos.GetValue(trace, static _ => new TraceMemo()).StartIfAbsent(key, ct => compute(ct));
    }

    /// <summary>How many computations started for <paramref name="trace"/> (for tests: a cached value is computed once).</summary>
    internal static int Computations(ExecutionTrace trace) => Memos.TryGetValue(trace, out var memo) ? Volatile.Read(ref memo._computations) : 0;

    /// <summary>Drops every value kept for <paramref name="trace"/> (for benchmarks of a first call on a loaded trace).</summary>
    internal static void Forget(ExecutionTrace trace) => Memos.Remove(trace);

    private object GetOrCompute(object key, Func<CancellationToken, object> compute, CancellationToken cancellationToken)
    {
        while (true)
        {
            Entry? entry = null;
            lock (_entries)
            {
                foreach (var e in _entries)
                {
                    if (e.Key.Equals(key))
                    {
                        entry = e;
                        break;
                    }
                }
                if (entry is { Task.IsCompletedSuccessfully: true })
                    return entry.Task.Result;
                if (entry is null)
                {
                    entry = Start(key, compute);
                    if (_entries.Count >= Capacity)
                        _entries.RemoveAt(0);
                    _entries.Add(entry);
                }
                entry.Waiters++;
            }

            try
            {
                entry.Task.Wait(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Leave(entry);
                throw;
            }
            catch (AggregateException failed)
            {
                Leave(entry, forget: true);
                // Cancelled only when every earlier waiter left, before this one joined: compute again.
                if (entry.Task.IsCanceled)
                    continue;
                ExceptionDispatchInfo.Throw(failed.InnerException ?? failed);
            }
            Leave(entry);
            return entry.Task.Result;
        }
    }

    private void StartIfAbsent(object key, Func<CancellationToken, object> compute)
    {
        lock (_entries)
        {
            foreach (var e in _entries)
            {
                if (e.Key.Equals(key))
                    return;
            }
            if (_entries.Count >= Capacity)
                _entries.RemoveAt(0);
            _entries.Add(Start(key, compute));
        }
    }

    private Entry Start(object key, Func<CancellationToken, object> compute)
    {
        var stop = new CancellationTokenSource();
        var task = Task.Factory.StartNew(() =>
        {
            Interlocked.Increment(ref _computations);
            return compute(stop.Token);
        }, stop.Token, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
        return new Entry(key, task, stop);
    }

    /// <summary>One waiter is done; the last one to give up on a running computation cancels it and forgets it.</summary>
    private void Leave(Entry entry, bool forget = false)
    {
        lock (_entries)
        {
            entry.Waiters--;
            if (forget || (entry.Waiters == 0 && !entry.Task.IsCompleted))
            {
                if (!entry.Task.IsCompleted)
                    entry.Stop.Cancel();
                _entries.Remove(entry);
            }
        }
    }

    private sealed class Entry(object key, Task<object> task, CancellationTokenSource stop)
    {
        public object Key { get; } = key;
        public Task<object> Task { get; } = task;
        public CancellationTokenSource Stop { get; } = stop;

        /// <summary>Callers waiting for <see cref="Task"/>; guarded by the memo's lock.</summary>
        public int Waiters { get; set; }
    }
}
