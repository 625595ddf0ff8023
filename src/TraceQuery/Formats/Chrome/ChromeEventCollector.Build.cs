using System.Runtime.InteropServices;
using TraceQuery.Formats.Internals;
using TraceQuery.Model;

namespace TraceQuery.Formats.Chrome;

internal sealed partial class ChromeEventCollector
{
    /// <summary>
    /// Numbers the lanes (threads, then one async track per process), nests each thread's slices by time, binds flow
    /// steps to slices, marks spans by the producer's conventions, and hands everything to a <see cref="TraceBuilder"/>.
    /// </summary>
    public ExecutionTrace Build()
    {
        var threads = _threads.Values.OrderBy(t => t.FirstSeen).ToList();
        string? producer = ProducerConventions.Recognise(_topLevelKeys, _processNames.Values, _threadNames.Values, HasSpanNamePrefix);
        var asyncPids = _processFirstSeen.OrderBy(p => p.Value).Select(p => p.Key).ToList();
        bool tidsAreIds = threads.Select(t => t.Tid).Distinct().Count() == threads.Count
            && threads.All(t => t.Tid is >= 0 and <= uint.MaxValue)
            && (threads.Count == 0 || threads.Max(t => t.Tid) + asyncPids.Count < uint.MaxValue);
        uint nextLane = 0;
        for (int i = 0; i < threads.Count; i++)
        {
            threads[i].Id = tidsAreIds ? (uint)threads[i].Tid : (uint)i;
            nextLane = Math.Max(nextLane, threads[i].Id + 1);
        }
        var asyncLanes = new Dictionary<long, uint>();
        foreach (long pid in asyncPids)
            asyncLanes[pid] = nextLane++;

        long unresolvedFlows = 0;
        var builder = new TraceBuilder();
        _functions.Register(builder);
        foreach (var thread in threads)
        {
            string? name = _threadNames.GetValueOrDefault((thread.Pid, thread.Tid));
            bool device = thread.Device
                || (_processLabels.TryGetValue(thread.Pid, out var labels) && labels.StartsWith(ProducerConventions.DeviceProcessLabelPrefix, StringComparison.Ordinal))
                || (name is not null && name.StartsWith(ProducerConventions.DeviceThreadNamePrefix, StringComparison.Ordinal));
            builder.AddThread(new ThreadInfo
            {
                ThreadId = thread.Id,
                Name = name,
                ProcessId = IdAsWritten(thread.Pid),
                ProcessName = _processNames.GetValueOrDefault(thread.Pid),
                OriginalThreadId = IdAsWritten(thread.Tid),
                Track = device ? SpanTrack.Device : SpanTrack.Thread,
            });
        }
        foreach (long pid in asyncPids)
        {
            builder.AddThread(new ThreadInfo
            {
                ThreadId = asyncLanes[pid],
                ProcessId = IdAsWritten(pid),
                ProcessName = _processNames.GetValueOrDefault(pid),
                Track = SpanTrack.Async,
            });
        }

        var marks = new Dictionary<ulong, SpanMarks>();
        SpanMarks MarksOf(ulong function, string name, bool instant)
        {
            ref var found = ref CollectionsMarshal.GetValueRefOrAddDefault(marks, function, out bool exists);
            if (!exists)
                found = ProducerConventions.MarksOf(name, producer);
            return instant ? found | SpanMarks.Instant : found;
        }

        ulong nextSpan = 1;
        var stepsByThread = new Dictionary<ThreadState, List<int>>();
        for (int s = 0; s < _flowSteps.Count; s++)
        {
            var owner = _flowSteps[s].Thread;
            if (!stepsByThread.TryGetValue(owner, out var list))
                stepsByThread[owner] = list = [];
            list.Add(s);
        }
        foreach (var list in stepsByThread.Values)
        {
            list.Sort((a, b) =>
            {
                int c = _flowSteps[a].Time.CompareTo(_flowSteps[b].Time);
                return c != 0 ? c : _flowSteps[a].Order.CompareTo(_flowSteps[b].Order);
            });
        }
        var bindOut = new Dictionary<string, List<(ulong Start, ulong Span)>>();
        var bindIn = new List<(string Key, ulong Start, ulong Span)>();
        long spanCount = 0;
        foreach (var thread in threads)
        {
            spanCount += AddSyncSlices(builder, thread, stepsByThread.GetValueOrDefault(thread), MarksOf, bindOut, bindIn, ref nextSpan);
        }

        var asyncIds = new ulong[_async.Count];
        var unclosedAsync = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < _async.Count; i++)
        {
            var slice = _async[i];
            asyncIds[i] = nextSpan++;
            spanCount++;
            if (slice.End == Open)
                Count(unclosedAsync, (slice.Legacy ? "S " : "b ") + slice.Name);
            builder.AddSpan(new SpanRecord
            {
                SpanId = asyncIds[i],
                ParentSpanId = slice.Parent >= 0 ? asyncIds[slice.Parent] : 0,
                ThreadId = asyncLanes[slice.Pid],
                FunctionId = slice.Function,
                StartNs = slice.Start,
                EndNs = slice.End == Open ? null : slice.End,
                Error = slice.Error,
                Attributes = slice.Attributes,
                Marks = MarksOf(slice.Function, slice.Name, instant: false),
            });
            if (slice.Steps is { } steps)
            {
                foreach (var step in steps)
                    builder.AddSpanEvent(asyncIds[i], step.Time, step.Name, step.Attributes);
            }
        }

        AddTopLevelLogs(builder, nextLane, ref nextSpan);
        BindToAsync(asyncIds);
        unresolvedFlows += LinkFlows(builder, out var flowWarnings);
        unresolvedFlows += LinkBoundFlows(builder, bindOut, bindIn);
        unresolvedFlows += LinkDirect(builder, asyncIds);

        var sampleWarnings = new List<string>();
        _samples += _profiles.LegacySampleCount;
        var sampleProfiles = new List<SampleProfileInfo>();
        _profiles.AddTo(builder, (pid, tid) => _threads[(pid, tid)].Id, sampleWarnings, sampleProfiles, IdAsWritten);
        var warnings = Warnings(spanCount, unclosedAsync, flowWarnings, unresolvedFlows);
        warnings.AddRange(sampleWarnings);
        builder.Metadata = new TraceMetadata
        {
            SourceFormat = _sourceFormat,
            SourcePath = _path,
            SkippedEvents = _skipped.Values.Sum(),
            SkippedRecords = [.. _skipped.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new SkippedRecordKind(p.Key, p.Value))],
            Counters = [.. _counters.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new CounterSeries(c.Key, c.Value.Count, c.Value.Min, c.Value.Max, c.Value.Last))],
            CpuSamples = _samples,
            SampleProfiles = sampleProfiles,
            RecordsRead = _records,
            Producer = producer,
            UnresolvedLinks = unresolvedFlows,
            Warnings = warnings,
        };
        return builder.Build();
    }

    private bool HasSpanNamePrefix(string prefix)
    {
        foreach (var thread in _threads.Values)
        {
            foreach (var slice in thread.Sync)
                if (slice.Name.StartsWith(prefix, StringComparison.Ordinal))
                    return true;
        }
        return false;
    }

    private List<string> Warnings(long spanCount, SortedDictionary<string, long> unclosedAsync, List<string> flowWarnings, long unresolvedFlows)
    {
        var warnings = new List<string>(_warnings);
        if (_unmatchedEnds > 0)
            warnings.Add(JsonValues.Invariant($"{_unmatchedEnds} 'E' record(s) had no open 'B' on their thread to close and were ignored (the recording started inside those slices)."));
        if (_unmatchedAsyncEnds > 0)
            warnings.Add(JsonValues.Invariant($"{_unmatchedAsyncEnds} async end record(s) ('e' or 'F') had no open begin with their id to close and were ignored."));
        if (_endsBeforeStart > 0)
            warnings.Add(JsonValues.Invariant($"{_endsBeforeStart} slice(s) ended before they began (first at byte {_firstEndBeforeStart}); they were given zero length."));
        var unclosedSync = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var thread in _threads.Values)
        {
            foreach (int open in thread.OpenBegins)
                Count(unclosedSync, thread.Sync[open].Name);
        }
        if (unclosedSync.Count > 0)
            warnings.Add(JsonValues.Invariant($"{unclosedSync.Values.Sum()} 'B' record(s) were never ended (open to their thread's end): ") + Top(unclosedSync) + ".");
        if (unclosedAsync.Count > 0)
            warnings.Add(JsonValues.Invariant($"{unclosedAsync.Values.Sum()} async begin(s) were never ended (open to their track's end): ") + Top(unclosedAsync) + ".");
        warnings.AddRange(flowWarnings);
        if (unresolvedFlows > 0)
            warnings.Add(JsonValues.Invariant($"{unresolvedFlows} flow arrow(s) could not be linked between two spans (see above) and were not kept."));
        if (_skipped.Count > 0)
        {
            warnings.Add(JsonValues.Invariant($"{_skipped.Values.Sum()} record(s) the model has no span for were skipped: ")
                + string.Join(", ", _skipped.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => JsonValues.Invariant($"{p.Key} ×{p.Value}"))) + ".");
        }
        if (_samples > 0)
        {
            warnings.Add(spanCount == 0 && !_threads.Values.Any(t => t.Sync.Any(s => !s.Instant))
                ? JsonValues.Invariant($"the file holds {_samples} CPU samples and no spans: it is a CPU profile; its samples are read as stack samples (sampled hot functions and paths).")
                : JsonValues.Invariant($"the file also holds {_samples} CPU samples (a V8 CPU profile), read as stack samples beside the spans."));
        }
        return warnings;
    }

    private static void Count(SortedDictionary<string, long> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    /// <summary>The five largest counts, <c>'name' ×n</c>, and how many more names there are.</summary>
    private static string Top(SortedDictionary<string, long> counts)
    {
        var top = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(5)
            .Select(c => JsonValues.Invariant($"'{c.Key}' ×{c.Value}"));
        string text = string.Join(", ", top);
        return counts.Count > 5 ? text + JsonValues.Invariant($" and {counts.Count - 5} more name(s)") : text;
    }

    /// <summary>
    /// Nests one thread's slices by time (outer first: by start, then longest, then file order) and adds them as spans;
    /// binds the thread's flow steps to the slice around them (or, for a default <c>f</c>, the next slice that starts).
    /// Returns the spans added that are not instants.
    /// </summary>
    private long AddSyncSlices(TraceBuilder builder, ThreadState thread, List<int>? stepIndices, Func<ulong, string, bool, SpanMarks> marksOf,
        Dictionary<string, List<(ulong Start, ulong Span)>> bindOut, List<(string Key, ulong Start, ulong Span)> bindIn, ref ulong nextSpan)
    {
        var slices = CollectionsMarshal.AsSpan(thread.Sync);
        slices.Sort(static (a, b) =>
        {
            int c = a.Start.CompareTo(b.Start);
            if (c != 0)
                return c;
            c = b.End.CompareTo(a.End);
            return c != 0 ? c : a.Order.CompareTo(b.Order);
        });
        for (int i = 0; i < slices.Length; i++)
            slices[i].SpanId = nextSpan++;
        return AddNested(builder, thread, slices, stepIndices, marksOf, bindOut, bindIn);
    }

    /// <summary>
    /// The lines of the file's top-level log lists (<see cref="TopLevelMessages"/>) as log records on a lane of their own
    /// (not a thread of the file: an async-kind lane), at the time of the file's first record, since the lines carry none
    /// the trace's clock knows.
    /// </summary>
    private void AddTopLevelLogs(TraceBuilder builder, uint lane, ref ulong nextSpan)
    {
        if (_topLevelLogs.Count == 0)
            return;
        ulong at = ulong.MaxValue;
        foreach (var thread in _threads.Values)
        {
            foreach (var slice in thread.Sync)
                at = Math.Min(at, slice.Start);
        }
        foreach (var slice in _async)
            at = Math.Min(at, slice.Start);
        at = at == ulong.MaxValue ? 0 : at;
        builder.AddThread(new ThreadInfo { ThreadId = lane, Name = "log (the file's top-level lists)", Track = SpanTrack.Async });
        foreach (var (function, text) in _topLevelLogs)
        {
            builder.AddSpan(new SpanRecord
            {
                SpanId = nextSpan++,
                ThreadId = lane,
                FunctionId = function,
                StartNs = at,
                EndNs = at,
                Message = text,
                Marks = SpanMarks.Instant,
            });
        }
    }

    private long AddNested(TraceBuilder builder, ThreadState thread, Span<Slice> slices, List<int>? stepIndices, Func<ulong, string, bool, SpanMarks> marksOf,
        Dictionary<string, List<(ulong Start, ulong Span)>> bindOut, List<(string Key, ulong Start, ulong Span)> bindIn)
    {
        // Flow steps of this thread by time; bound while the sweep below has the stack of slices open at their time.
        var steps = stepIndices ?? [];
        var stack = new List<int>();
        long spans = 0;
        int next = 0;
        for (int i = 0; i < slices.Length; i++)
        {
            ref var slice = ref slices[i];
            while (next < steps.Count && _flowSteps[steps[next]].Time < slice.Start)
                BindStep(steps[next++], slices, stack);
            while (stack.Count > 0 && (slices[stack[^1]].End <= slice.Start && !(slices[stack[^1]].End == slice.Start && slices[stack[^1]].Start == slice.Start && !slices[stack[^1]].Instant && slice.Instant)))
                stack.RemoveAt(stack.Count - 1);
            int parent = stack.Count > 0 ? stack[^1] : -1;
            if (slice.Instant && slice.Error is not null && !slice.StatusError && parent >= 0)
            {
                // An error marked at an instant is an exception raised in the slice around it (a failed request is the
                // record's own status: it stays an instant span with error status).
                ref var owner = ref slices[parent];
                string message = slice.Name == owner.Name || slice.Name.Length == 0 ? slice.Error
                    : slice.Error.Length == 0 ? slice.Name : slice.Name + ": " + slice.Error;
                builder.AddSpanException(owner.SpanId, slice.Start, message);
                _foldedInstants.Add(slice.SpanId);
                continue;
            }
            builder.AddSpan(new SpanRecord
            {
                SpanId = slice.SpanId,
                ParentSpanId = parent >= 0 ? slices[parent].SpanId : 0,
                ThreadId = thread.Id,
                FunctionId = slice.Function,
                StartNs = slice.Start,
                EndNs = slice.End == Open ? null : slice.End,
                Error = slice.Error,
                Attributes = slice.Extra == 0 ? null : _extras[slice.Extra - 1].Attributes,
                Marks = marksOf(slice.Function, slice.Name, slice.Instant),
            });
            if (slice.Extra > 0 && _extras[slice.Extra - 1] is { BindId: { } key } extra)
            {
                if (extra.FlowOut)
                    OpenStack(bindOut, key, slice.Start, slice.SpanId);
                if (extra.FlowIn)
                    bindIn.Add((key, slice.Start, slice.SpanId));
            }
            if (!slice.Instant)
            {
                spans++;
                stack.Add(i);
            }
        }
        while (next < steps.Count)
            BindStep(steps[next++], slices, stack);
        return spans;
    }

    private void BindStep(int s, Span<Slice> sorted, List<int> open)
    {
        ref var step = ref CollectionsMarshal.AsSpan(_flowSteps)[s];
        step.SpanId = Bind(step, sorted, open);
    }

    private static void OpenStack(Dictionary<string, List<(ulong Start, ulong Span)>> outs, string key, ulong start, ulong span)
    {
        ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(outs, key, out bool exists);
        if (!exists)
            list = [];
        list!.Add((start, span));
    }

    /// <summary>
    /// The span a flow step binds to: an instant at its time or else the innermost slice open at its time, or (a default
    /// <c>f</c>) the first slice starting at or after it; 0 for none.
    /// </summary>
    private static ulong Bind(in FlowStep step, Span<Slice> sorted, List<int> open)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid].Start < step.Time)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (step.Enclosing)
        {
            // An instant at the flow's own time is the innermost slice there (Chromium binds Layer flows to 'I' records).
            for (int at = lo; at < sorted.Length && sorted[at].Start == step.Time; at++)
            {
                if (sorted[at].Instant)
                    return sorted[at].SpanId;
            }
            for (int j = open.Count - 1; j >= 0; j--)
            {
                ref var slice = ref sorted[open[j]];
                if (slice.Start <= step.Time && slice.End >= step.Time)
                    return slice.SpanId;
            }
            return 0;
        }
        for (; lo < sorted.Length; lo++)
        {
            if (!sorted[lo].Instant)
                return sorted[lo].SpanId;
        }
        return 0;
    }

    /// <summary>
    /// A flow step that found no slice on its thread binds to an async span of its process that begins at its very time
    /// (Chromium starts <c>AnimationFrame</c> flows on the <c>b</c> of the same name), preferring one of the same name.
    /// </summary>
    private void BindToAsync(ulong[] asyncIds)
    {
        var steps = CollectionsMarshal.AsSpan(_flowSteps);
        Dictionary<(long Pid, ulong Start), List<int>>? byStart = null;
        for (int s = 0; s < steps.Length; s++)
        {
            ref var step = ref steps[s];
            if (step.SpanId != 0)
                continue;
            if (byStart is null)
            {
                byStart = [];
                for (int a = 0; a < _async.Count; a++)
                {
                    var key = (_async[a].Pid, _async[a].Start);
                    if (!byStart.TryGetValue(key, out var list))
                        byStart[key] = list = [];
                    list.Add(a);
                }
            }
            if (!byStart.TryGetValue((step.Thread.Pid, step.Time), out var candidates))
                continue;
            int chosen = candidates[0];
            foreach (int a in candidates)
            {
                if (_async[a].Name == step.Name)
                {
                    chosen = a;
                    break;
                }
            }
            step.SpanId = asyncIds[chosen];
        }
    }

    /// <summary>
    /// Links the steps of each flow (<c>s</c>/<c>t</c>/<c>f</c> of one category and id, by time): every <c>t</c> and <c>f</c>
    /// from the latest <c>s</c> or <c>t</c> before it. Returns the arrows that could not be made, said in <paramref name="warnings"/>.
    /// </summary>
    private long LinkFlows(TraceBuilder builder, out List<string> warnings)
    {
        warnings = [];
        if (_flowSteps.Count == 0)
            return 0;
        long unbound = 0, finishWithoutStart = 0, startWithoutStep = 0, linked = 0;
        var byKey = new Dictionary<string, List<int>>();
        var keys = new List<string>();
        for (int s = 0; s < _flowSteps.Count; s++)
        {
            ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(byKey, _flowSteps[s].Key, out bool exists);
            if (!exists)
            {
                list = [];
                keys.Add(_flowSteps[s].Key);
            }
            list!.Add(s);
        }
        foreach (string key in keys)
        {
            var steps = byKey[key];
            steps.Sort((a, b) =>
            {
                int c = _flowSteps[a].Time.CompareTo(_flowSteps[b].Time);
                return c != 0 ? c : _flowSteps[a].Order.CompareTo(_flowSteps[b].Order);
            });
            int from = -1;
            bool fromUsed = false;
            foreach (int s in steps)
            {
                var step = _flowSteps[s];
                if (step.SpanId == 0)
                {
                    unbound++;
                    continue;
                }
                if (step.Phase != 's')
                {
                    if (from < 0)
                    {
                        finishWithoutStart++;
                    }
                    else
                    {
                        builder.AddLink(_flowSteps[from].SpanId, step.SpanId, ProducerConventions.FlowKind(step.Category));
                        fromUsed = true;
                        linked++;
                    }
                }
                if (step.Phase != 'f')
                {
                    if (from >= 0 && !fromUsed && _flowSteps[from].Phase == 's')
                        startWithoutStep++;
                    from = s;
                    fromUsed = false;
                }
            }
            if (from >= 0 && !fromUsed && _flowSteps[from].Phase == 's')
                startWithoutStep++;
        }
        if (unbound > 0)
            warnings.Add(JsonValues.Invariant($"{unbound} flow record(s) ('s'/'t'/'f') had no slice on their thread to bind to."));
        if (finishWithoutStart > 0)
            warnings.Add(JsonValues.Invariant($"{finishWithoutStart} flow step(s) ('t'/'f') had no earlier 's' with their id."));
        if (startWithoutStep > 0)
            warnings.Add(JsonValues.Invariant($"{startWithoutStep} flow start(s) ('s') had no later 't' or 'f' with their id."));
        _ = linked;
        return unbound + finishWithoutStart + startWithoutStep;
    }

    /// <summary>
    /// Links slices that carry <c>bind_id</c> with <c>flow_out</c> to those with the same id and <c>flow_in</c> (from the latest
    /// such start before each end). Returns how many such slices are in no link (the other end is not in the file).
    /// </summary>
    private long LinkBoundFlows(TraceBuilder builder, Dictionary<string, List<(ulong Start, ulong Span)>> outs, List<(string Key, ulong Start, ulong Span)> ins)
    {
        if (outs.Count == 0 && ins.Count == 0)
            return 0;
        var linked = new HashSet<ulong>();
        foreach (var (key, start, span) in ins)
        {
            if (!outs.TryGetValue(key, out var starts))
                continue;
            (ulong Start, ulong Span)? best = null;
            foreach (var candidate in starts)
            {
                if (candidate.Span != span && candidate.Start <= start && (best is null || candidate.Start >= best.Value.Start))
                    best = candidate;
            }
            if (best is null)
                continue;
            builder.AddLink(best.Value.Span, span, ProducerConventions.FlowKind(key[..key.IndexOf('\u0001', StringComparison.Ordinal)]));
            linked.Add(best.Value.Span);
            linked.Add(span);
        }
        var bound = new HashSet<ulong>();
        foreach (var (_, _, span) in ins)
            bound.Add(span);
        foreach (var starts in outs.Values)
            foreach (var (_, span) in starts)
                bound.Add(span);
        long unresolved = bound.Count(s => !linked.Contains(s));
        if (unresolved > 0)
            _warnings.Add(JsonValues.Invariant($"{unresolved} slice(s) with 'bind_id' and 'flow_in' or 'flow_out' had no other slice with the same id in the file; their flows were not kept."));
        return unresolved;
    }
}
