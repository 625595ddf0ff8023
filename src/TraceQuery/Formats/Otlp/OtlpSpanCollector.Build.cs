using TraceQuery.Formats.Internals;
using TraceQuery.Model;

namespace TraceQuery.Formats.Otlp;

/// <summary>Building the trace from what was collected: identities, times, parents, threads, side tables, counts.</summary>
internal sealed partial class OtlpSpanCollector
{
    /// <summary>Resolves parents, links and threads and hands spans, exceptions, span events and logs to a <see cref="TraceBuilder"/>.</summary>
    public ExecutionTrace Build()
    {
        var builder = Feed();
        // The collector's columns and side lists are all in the builder now: let them go before the builder plans and
        // sorts (issue 18, peak memory while reading).
        Release();
        return builder.Build();
    }

    /// <summary>The builder with every kept span, exception, span event, link, log record, thread and symbol added.</summary>
    private TraceBuilder Feed()
    {
        var warnings = new List<string>();
        if (_endsBeforeStart > 0)
            warnings.Add(JsonValues.Invariant($"{_endsBeforeStart} span(s) had endTimeUnixNano before startTimeUnixNano (first at byte {_firstEndBeforeStart}); they were given zero length."));

        // Span identity is (trace id, span id); the first of a repeated pair is kept.
        var spans = _spans;
        var index = new SpanIndex(spans);
        var kept = new bool[spans.Count];
        for (int i = 0; i < spans.Count; i++)
        {
            if (index.TryAdd(i))
                kept[i] = true;
            else
                Skip("OTLP span repeating the trace and span id of an earlier one");
        }
        // The first kept span of a trace and span id, or -1 (a span found not to fit the clock below is no longer kept).
        int Find(int trace, ulong id) => index.Find(trace, id) is var found && found >= 0 && kept[found] ? found : -1;

        ulong timeBase = TimeBase(kept, warnings);
        var keptLogs = new bool[_logs.Count];
        for (int i = 0; i < _logs.Count; i++)
        {
            keptLogs[i] = _logs[i].Time - timeBase <= long.MaxValue && _logs[i].Time >= timeBase;
            if (!keptLogs[i])
                Skip("OTLP log record whose time is beyond what signed 64-bit nanoseconds hold");
        }
        for (int i = 0; i < spans.Count; i++)
        {
            if (kept[i] && !Fits(spans.Start[i], spans.End[i], timeBase))
            {
                kept[i] = false;
                Skip("OTLP span whose start or end time is beyond what signed 64-bit nanoseconds hold");
            }
        }

        // Threads: explicit thread.id values, then one per trace id (and per service for logs without one).
        uint nextThread = 0;
        for (int i = 0; i < spans.Count; i++)
            if (spans.Thread[i] >= 0)
                nextThread = Math.Max(nextThread, (uint)spans.Thread[i] + 1);
        foreach (var l in _logs)
            if (l.Thread >= 0)
                nextThread = Math.Max(nextThread, (uint)l.Thread + 1);
        nextThread = Math.Max(nextThread, 1);
        var traceThreads = new Dictionary<(ulong, ulong), uint>();
        var serviceThreads = new Dictionary<string, uint>(StringComparer.Ordinal);
        var threadNames = new SortedDictionary<uint, string?>();
        uint TraceThread(ulong hi, ulong lo)
        {
            if (!traceThreads.TryGetValue((hi, lo), out uint id))
            {
                traceThreads[(hi, lo)] = id = nextThread++;
                threadNames[id] = JsonValues.Invariant($"trace {hi:x16}{lo:x16}");
            }
            return id;
        }

        var builder = new TraceBuilder();
        var spanThreads = new uint[spans.Count];
        var functionIds = new FunctionIdCache(this);
        long orphans = 0, unresolvedLinks = 0;
        long firstOrphanTrace = -1;
        string? firstOrphan = null;
        var noExtra = new SpanExtra(null, null, -1, -1, -1);
        for (int i = 0; i < spans.Count; i++)
        {
            if (!kept[i])
                continue;
            var s = spans.Extra[i] >= 0 ? _extras[spans.Extra[i]] : noExtra;
            long spanThread = spans.Thread[i];
            int trace = spans.Trace[i];
            uint thread = spanThread >= 0 ? (uint)spanThread : TraceThread(_traces[trace].Hi, _traces[trace].Lo);
            if (spanThread >= 0 && (!threadNames.TryGetValue(thread, out var existing) || existing is null))
                threadNames[thread] = s.ThreadName;
            spanThreads[i] = thread;
            ulong parent = 0;
            bool parentMissing = false;
            if (spans.ParentId[i] != 0)
            {
                int p = Find(trace, spans.ParentId[i]);
                if (p >= 0)
                    parent = (ulong)p + 1;
                else
                {
                    parentMissing = true;
                    if (orphans++ == 0)
                    {
                        firstOrphan = _texts[spans.Name[i]];
                        firstOrphanTrace = i;
                    }
                }
            }
            ulong start = spans.Start[i] - timeBase;
            ulong end = spans.End[i];
            int attributes = spans.Attributes[i];
            builder.AddSpan(new SpanRecord
            {
                SpanId = (ulong)i + 1,
                ParentSpanId = parent,
                ParentMissing = parentMissing,
                ThreadId = thread,
                FunctionId = functionIds.Get(spans.Resource[i], spans.Name[i]),
                StartNs = start,
                EndNs = end == 0 ? null : end - timeBase,
                Error = s.Error,
                Attributes = attributes >= 0 ? _attributeSets[attributes] : null,
            });
            for (int x = s.FirstException; x >= 0; x = _exceptions[x].Next)
                builder.AddSpanException((ulong)i + 1, Rebase(_exceptions[x].Time, timeBase, start), _exceptions[x].Message);
            for (int x = s.FirstEvent; x >= 0; x = _events[x].Next)
                builder.AddSpanEvent((ulong)i + 1, Rebase(_events[x].Time, timeBase, start), _events[x].Name, _events[x].Attributes);
            for (int x = s.FirstLink; x >= 0; x = _links[x].Next)
            {
                var link = _links[x];
                int target = Find(_traces.Find(link.TraceHi, link.TraceLo), link.SpanId);
                if (target >= 0)
                    builder.AddLink((ulong)i + 1, (ulong)target + 1, "link");
                else
                    unresolvedLinks++;
            }
        }
        if (orphans > 0)
        {
            var (hi, lo) = _traces[spans.Trace[(int)firstOrphanTrace]];
            ulong parentId = spans.ParentId[(int)firstOrphanTrace];
            warnings.Add(JsonValues.Invariant(
                $"{orphans} span(s) name a parent span that is not in the file (first: '{firstOrphan}' in trace {hi:x16}{lo:x16}, parent {parentId:x16}); they are shown as roots, so their traces are incomplete."));
        }
        if (unresolvedLinks > 0)
            warnings.Add(JsonValues.Invariant($"{unresolvedLinks} span link(s) point to a span that is not in the file (another trace, or not exported); they were not kept."));
        if (_linkAttributes > 0)
            warnings.Add(JsonValues.Invariant($"{_linkAttributes} attribute(s) of span links were not kept (links keep their two spans only)."));
        if (_droppedAttributes > 0)
            warnings.Add(JsonValues.Invariant($"{_droppedAttributes} attribute(s) beyond {MaxAttributes} per span, span event or log record were not kept."));

        for (int i = 0; i < _logs.Count; i++)
        {
            if (!keptLogs[i])
                continue;
            var l = _logs[i];
            int owner = l.SpanId != 0 ? Find(_traces.Find(l.TraceHi, l.TraceLo), l.SpanId) : -1;
            string module = Service(l.Resource);
            uint thread;
            if (l.Thread >= 0)
            {
                thread = (uint)l.Thread;
                if (!threadNames.TryGetValue(thread, out var existing) || existing is null)
                    threadNames[thread] = l.ThreadName;
            }
            else if (owner >= 0)
                thread = spanThreads[owner];
            else if (l.TraceHi != 0 || l.TraceLo != 0)
                thread = TraceThread(l.TraceHi, l.TraceLo);
            else
            {
                if (!serviceThreads.TryGetValue(module, out thread))
                {
                    serviceThreads[module] = thread = nextThread++;
                    threadNames[thread] = "logs " + module;
                }
            }
            builder.AddSpan(new SpanRecord
            {
                SpanId = (ulong)spans.Count + (ulong)i + 1,
                ParentSpanId = owner >= 0 ? (ulong)owner + 1 : 0,
                ThreadId = thread,
                FunctionId = _functions.GetId(module, "log." + l.Severity),
                StartNs = l.Time - timeBase,
                EndNs = l.Time - timeBase,
                Message = l.Body,
                Attributes = l.Attributes,
                Marks = SpanMarks.Instant,
            });
        }
        foreach (var (id, name) in threadNames)
            builder.AddThread(id, name);
        _functions.Register(builder);

        long skipped = 0;
        var skippedKinds = new List<SkippedRecordKind>(_skipped.Count);
        foreach (var (what, (count, first)) in _skipped.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            skipped += count;
            skippedKinds.Add(new SkippedRecordKind(what, count));
            warnings.Add(first >= 0
                ? JsonValues.Invariant($"skipped {count} × {what} (first at byte {first}).")
                : JsonValues.Invariant($"skipped {count} × {what}."));
        }
        builder.Metadata = new TraceMetadata
        {
            SourceFormat = "otlp-json",
            SourcePath = path,
            SkippedEvents = skipped,
            RecordsRead = _spansRead + _logsRead,
            SkippedRecords = skippedKinds,
            UnresolvedLinks = unresolvedLinks,
            Warnings = warnings,
        };
        return builder;
    }

    private void Release()
    {
        _spans = new SpanColumns();
        _extras.Clear();
        _extras.TrimExcess();
        _exceptions.Clear();
        _exceptions.TrimExcess();
        _events.Clear();
        _events.TrimExcess();
        _links.Clear();
        _links.TrimExcess();
        _logs.Clear();
        _logs.TrimExcess();
    }

    /// <summary>
    /// 0 when every time fits in signed 64-bit nanoseconds (the model's clock). Otherwise the first time, when all
    /// times fit relative to it (said in a warning); else 0 again, and the spans and logs beyond are skipped.
    /// </summary>
    private ulong TimeBase(bool[] kept, List<string> warnings)
    {
        ulong min = ulong.MaxValue, max = 0;
        for (int i = 0; i < _spans.Count; i++)
        {
            if (!kept[i])
                continue;
            min = Math.Min(min, _spans.Start[i]);
            max = Math.Max(max, Math.Max(_spans.Start[i], _spans.End[i]));
        }
        foreach (var l in _logs)
        {
            min = Math.Min(min, l.Time);
            max = Math.Max(max, l.Time);
        }
        if (max <= long.MaxValue || max - min > long.MaxValue)
            return 0;
        warnings.Add(JsonValues.Invariant(
            $"times go beyond what signed 64-bit nanoseconds hold (up to {max} ns); every time is shown relative to the first, {min} ns since the Unix epoch."));
        return min;
    }

    private static bool Fits(ulong start, ulong end, ulong timeBase) =>
        start >= timeBase && start - timeBase <= long.MaxValue && (end == 0 || (end >= timeBase && end - timeBase <= long.MaxValue));

    /// <summary>
    /// Function ids by (resource, name index): computed once per service and name, not hashed from two strings per span.
    /// </summary>
    private sealed class FunctionIdCache(OtlpSpanCollector collector)
    {
        private readonly Dictionary<string, ulong[]> _byService = new(StringComparer.Ordinal);
        private ulong[]?[] _byResource = [];

        public ulong Get(int resource, int name)
        {
            if (resource >= _byResource.Length)
                Array.Resize(ref _byResource, Math.Max(resource + 1, _byResource.Length * 2));
            var ids = _byResource[resource];
            if (ids is null)
            {
                string service = collector.Service(resource);
                if (!_byService.TryGetValue(service, out ids))
                    _byService[service] = ids = new ulong[collector._texts.Count];
                _byResource[resource] = ids;
            }
            // 0 marks "not computed yet"; an id that is 0 itself is simply looked up each time.
            if (ids[name] == 0)
                ids[name] = collector._functions.GetId(collector.Service(resource), collector._texts[name]);
            return ids[name];
        }
    }

    /// <summary>An event time on the rebased clock; one missing (0) or outside it is put at its span's start.</summary>
    private static ulong Rebase(ulong time, ulong timeBase, ulong spanStart) =>
        time != 0 && time >= timeBase && time - timeBase <= long.MaxValue ? time - timeBase : spanStart;
}
