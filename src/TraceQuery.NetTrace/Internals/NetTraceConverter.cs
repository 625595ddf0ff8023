using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.EventPipe;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;
using TraceQuery.Formats;
using TraceQuery.Model;
using EtwEvent = Microsoft.Diagnostics.Tracing.TraceEvent;
using TraceCallStack = Microsoft.Diagnostics.Tracing.Etlx.TraceCallStack;
using TraceLog = Microsoft.Diagnostics.Tracing.Etlx.TraceLog;

namespace TraceQuery.NetTrace.Internals;

/// <summary>
/// One pass over TraceEvent's view of a <c>.nettrace</c> (time order): sample-profiler samples become stack samples
/// (<see cref="TraceBuilder.AddSample"/>: one per sample, weight = the sampling interval, <see cref="SampleState.Waiting"/>
/// when the thread was in native code, i.e. blocked), exceptions become instant spans of the throwing method holding the
/// exception, GC and EventSource start/stop pairs become spans on async lanes. What has no place in the model is counted by provider and event name.
/// </summary>
internal sealed class NetTraceConverter
{
    private const string SampleProfiler = "Microsoft-DotNETCore-SampleProfiler";
    private const string Runtime = "Microsoft-Windows-DotNETRuntime";
    private const uint GcLane = 0xFFFF_FF00;
    private const uint FirstActivityLane = 0xFFFF_FF01;
    private const int MaxActivityAttributes = 8;

    private readonly TraceBuilder _builder = new();
    private readonly Dictionary<string, uint> _modules = new(StringComparer.Ordinal);
    private readonly Dictionary<(uint Module, string Name), ulong> _functions = [];
    private readonly Dictionary<uint, uint> _nextSymbol = [];
    private readonly Dictionary<int, int> _stacks = [];
    private readonly Stack<TraceCallStack> _unresolved = new();
    private readonly Dictionary<(string Provider, string Task, string Key), Stack<OpenActivity>> _activities = [];
    private readonly Dictionary<string, uint> _activityLanes = new(StringComparer.Ordinal);
    private readonly Dictionary<int, (ulong StartNs, int Depth, string Reason, int ThreadId)> _gcs = [];
    private readonly SortedDictionary<string, long> _skipped = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = [];
    private readonly long _intervalNs;
    private ulong _nextSpanId = 1;
    private (ulong StartNs, string Reason)? _suspension;
    private long _samples;
    private long _stacklessSamples;
    private long _exceptions;
    private long _unpairedStops;

    private sealed record OpenActivity(ulong StartNs, int ThreadId, List<KeyValuePair<string, string>> Attributes);

    private NetTraceConverter(long intervalNs) => _intervalNs = intervalNs;

    public static ExecutionTrace Convert(string path, NetTraceReadOptions options)
    {
        Span<byte> head = stackalloc byte[8 + 4 + 20];
        int length;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1))
            length = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (!head[..Math.Min(length, 8)].SequenceEqual(NetTraceFile.Magic))
            throw new TraceFormatException(path, 0, "not a .nettrace file: it does not start with the bytes \"Nettrace\" (dotnet-trace collect writes such files; convert other formats with dotnet-trace convert).");
        // After the magic: the serializer's signature, a length-prefixed "!FastSerialization.1".
        if (length < head.Length || BinaryPrimitives.ReadInt32LittleEndian(head[8..]) != 20 || !head[12..].SequenceEqual("!FastSerialization.1"u8))
            throw new TraceFormatException(path, 8, "damaged .nettrace: the magic is not followed by the serializer signature \"!FastSerialization.1\" (a cut or overwritten header).");
        string etlx = Path.Combine(options.TemporaryDirectory ?? Path.GetTempPath(), $"tracequery-{Guid.NewGuid():N}.etlx");
        try
        {
            try
            {
                TraceLog.CreateFromEventPipeDataFile(path, etlx);
            }
            catch (OutOfMemoryException e)
            {
                // A damaged length field makes TraceEvent ask for an array no file of this size can fill.
                throw new TraceFormatException(path, null, $"damaged .nettrace: TraceEvent ran out of memory converting a {new FileInfo(path).Length:N0}-byte file, which a damaged length field causes.", e);
            }
            catch (Exception e)
            {
                throw new TraceFormatException(path, null, $"damaged .nettrace: TraceEvent could not read it ({e.GetType().Name}: {e.Message}).", e);
            }
            try
            {
                using var log = new TraceLog(etlx);
                long interval = log.SampleProfileInterval.Ticks > 0 ? log.SampleProfileInterval.Ticks * 100 : 1_000_000;
                var converter = new NetTraceConverter(interval);
                return converter.Read(log, path);
            }
            catch (Exception e) when (e is not OutOfMemoryException and not TraceFormatException and not ArgumentException)
            {
                // TraceEvent reads the converted events lazily: damage it let through the conversion surfaces here.
                throw new TraceFormatException(path, null, $"damaged .nettrace: TraceEvent could not read its events ({e.GetType().Name}: {e.Message}).", e);
            }
        }
        finally
        {
            try
            {
                File.Delete(etlx);
            }
            catch (IOException)
            {
            }
        }
    }

    private ExecutionTrace Read(TraceLog log, string path)
    {
        foreach (var thread in log.Threads)
        {
            if (thread.ThreadID > 0 && !string.IsNullOrEmpty(thread.ThreadInfo))
                _builder.AddThread(new ThreadInfo { ThreadId = (uint)thread.ThreadID, Name = thread.ThreadInfo, ProcessId = thread.Process.ProcessID.ToString(CultureInfo.InvariantCulture), ProcessName = thread.Process.Name });
        }
        foreach (var data in log.Events)
        {
            try
            {
                Dispatch(data);
            }
            catch (Exception e) when (e is not OutOfMemoryException and not TraceFormatException)
            {
                throw new TraceFormatException(path, null, $"damaged .nettrace: event {data.ProviderName}/{data.EventName} at {data.TimeStampRelativeMSec:F3} ms could not be read ({e.GetType().Name}: {e.Message}).", e);
            }
        }
        foreach (var (key, open) in _activities)
        {
            if (open.Count > 0)
                _warnings.Add($"{open.Count} {key.Provider}/{key.Task} start event(s) without a stop: left out");
        }
        if (_gcs.Count > 0)
            _warnings.Add($"{_gcs.Count} GC start event(s) without an end: left out");
        if (_stacklessSamples > 0)
            _warnings.Add($"{_stacklessSamples} sample(s) without a call stack: counted, no frames");
        if (_unpairedStops > 0)
            _warnings.Add($"{_unpairedStops} stop event(s) without a start: left out");
        string process = log.Processes.LastOrDefault()?.Name ?? "";
        _builder.Metadata = new TraceMetadata
        {
            SourceFormat = "nettrace",
            SourcePath = path,
            FormatVersion = "EventPipe",
            Producer = string.IsNullOrEmpty(process) ? "dotnet-trace" : $"dotnet-trace ({process})",
            Os = TraceOs.Unknown,
            ClockType = TraceClock.Unknown,
            CpuSamples = _samples,
            RecordsRead = log.EventCount,
            SkippedEvents = _skipped.Values.Sum(),
            SkippedRecords = [.. _skipped.Select(p => new SkippedRecordKind(p.Key, p.Value))],
            Warnings = _warnings,
        };
        return _builder.Build();
    }

    private void Dispatch(EtwEvent data)
    {
        ulong timestampNs = TimestampNs(data);
        switch (data)
        {
            case ClrThreadSampleTraceData sample:
                // A thread sampled in native code (External) is blocked in a wait; managed code is running.
                OnSample(sample.ThreadID, timestampNs, sample.CallStack(), sample.Type == ClrThreadSampleType.External ? SampleState.Waiting : SampleState.Running);
                return;
            case ExceptionTraceData exception:
                OnException(exception, timestampNs);
                return;
            case GCStartTraceData start:
                _gcs[start.Count] = (timestampNs, start.Depth, start.Reason.ToString(), start.ThreadID);
                return;
            case GCEndTraceData end:
                if (_gcs.Remove(end.Count, out var gc))
                    AddLaneSpan(GcLane, "GC", $"GC gen{gc.Depth} ({gc.Reason})", gc.StartNs, timestampNs, null);
                return;
            case GCSuspendEETraceData suspend when suspend.Reason is GCSuspendEEReason.SuspendForGC or GCSuspendEEReason.SuspendForGCPrep:
                _suspension = (timestampNs, suspend.Reason.ToString());
                return;
            case GCNoUserDataTraceData when data.EventName == "GC/RestartEEStop" && _suspension is { } paused:
                AddLaneSpan(GcLane, "GC", $"GC pause ({paused.Reason})", paused.StartNs, timestampNs, null);
                _suspension = null;
                return;
        }
        if (data.Opcode is TraceEventOpcode.Start or TraceEventOpcode.Stop && !IsRuntimeProvider(data.ProviderName))
        {
            OnActivity(data, timestampNs);
            return;
        }
        Skip(data);
    }

    private static bool IsRuntimeProvider(string provider) =>
        provider.StartsWith("Microsoft-Windows-DotNETRuntime", StringComparison.Ordinal) || provider.StartsWith("Microsoft-DotNETCore-", StringComparison.Ordinal);

    private void Skip(EtwEvent data)
    {
        string kind = $"{data.ProviderName}/{data.EventName}";
        _skipped[kind] = _skipped.GetValueOrDefault(kind) + 1;
    }

    private static ulong TimestampNs(EtwEvent data) => (ulong)Math.Max(0, Math.Round(data.TimeStampRelativeMSec * 1_000_000));

    private void OnSample(int threadId, ulong timestampNs, TraceCallStack? stack, SampleState state)
    {
        _samples++;
        int sampleStack = SampleStack(stack);
        if (sampleStack == SampleTable.NoStack)
            _stacklessSamples++;
        _builder.AddSample((uint)threadId, timestampNs, sampleStack, _intervalNs, state);
    }

    // TraceEvent's call stacks are a prefix tree already (each has an index and a caller): map each to a sample stack
    // once, walking up only to the first caller already mapped.
    private int SampleStack(TraceCallStack? stack)
    {
        int parent = SampleTable.NoStack;
        for (var frame = stack; frame is not null; frame = frame.Caller)
        {
            if (_stacks.TryGetValue((int)frame.CallStackIndex, out parent))
                break;
            _unresolved.Push(frame);
            parent = SampleTable.NoStack;
        }
        while (_unresolved.TryPop(out var frame))
        {
            var (module, name) = Names(frame);
            parent = _builder.AddSampleStack(parent, _builder.AddSampleFrame(new SampleFrame(name, module)));
            _stacks[(int)frame.CallStackIndex] = parent;
        }
        return parent;
    }

    private void OnException(ExceptionTraceData exception, ulong timestampNs)
    {
        _exceptions++;
        var thrower = ThrowingFrame(exception.CallStack());
        ulong function = thrower is null ? Function("clr", "(exception thrown outside managed code)") : FunctionId(thrower);
        ulong spanId = _nextSpanId++;
        _builder.AddSpan(new SpanRecord
        {
            SpanId = spanId,
            ThreadId = (uint)exception.ThreadID,
            FunctionId = function,
            StartNs = timestampNs,
            EndNs = timestampNs,
            Marks = SpanMarks.Instant,
        });
        _builder.AddSpanException(spanId, timestampNs, $"{exception.ExceptionType}: {exception.ExceptionMessage}");
    }

    // The first frame of the exception's stack that is the program's own: the runtime's exception dispatch
    // (System.Private.CoreLib's EH.*, ExceptionServices, throw helpers) sits above the throwing method.
    private static TraceCallStack? ThrowingFrame(TraceCallStack? stack)
    {
        for (var frame = stack; frame is not null; frame = frame.Caller)
        {
            string name = frame.CodeAddress.FullMethodName ?? "";
            string module = frame.CodeAddress.ModuleName ?? "";
            if (name.Length == 0)
                continue;
            if (module.Equals("System.Private.CoreLib", StringComparison.OrdinalIgnoreCase)
                && (name.StartsWith("EH.", StringComparison.Ordinal) || name.StartsWith("System.Runtime.EH", StringComparison.Ordinal)
                    || name.Contains("ThrowHelper", StringComparison.Ordinal) || name.StartsWith("System.Runtime.ExceptionServices", StringComparison.Ordinal)))
                continue;
            return frame;
        }
        return null;
    }

    private void OnActivity(EtwEvent data, ulong timestampNs)
    {
        string task = TaskName(data);
        string key = data.ActivityID != Guid.Empty ? data.ActivityID.ToString("N") : data.PayloadNames.Length > 0 ? data.PayloadString(0) : "";
        var slot = (data.ProviderName, task, key);
        if (data.Opcode == TraceEventOpcode.Start)
        {
            if (!_activities.TryGetValue(slot, out var open))
            {
                open = new Stack<OpenActivity>();
                _activities[slot] = open;
            }
            var attributes = new List<KeyValuePair<string, string>>();
            for (int i = 0; i < data.PayloadNames.Length && i < MaxActivityAttributes; i++)
                attributes.Add(new(data.PayloadNames[i], data.PayloadString(i)));
            open.Push(new OpenActivity(timestampNs, data.ThreadID, attributes));
            return;
        }
        if (!_activities.TryGetValue(slot, out var starts) || starts.Count == 0)
        {
            _unpairedStops++;
            return;
        }
        var start = starts.Pop();
        start.Attributes.Add(new("thread", start.ThreadId.ToString(CultureInfo.InvariantCulture)));
        AddLaneSpan(ActivityLane(data.ProviderName), data.ProviderName, task, start.StartNs, timestampNs, start.Attributes);
    }

    private static string TaskName(EtwEvent data)
    {
        string name = data.EventName ?? "";
        int slash = name.LastIndexOf('/');
        if (slash > 0)
            return name[..slash];
        return name.EndsWith("Start", StringComparison.Ordinal) ? name[..^5] : name.EndsWith("Stop", StringComparison.Ordinal) ? name[..^4] : name;
    }

    private uint ActivityLane(string provider)
    {
        if (!_activityLanes.TryGetValue(provider, out uint lane))
        {
            lane = FirstActivityLane + (uint)_activityLanes.Count;
            _activityLanes[provider] = lane;
            _builder.AddThread(new ThreadInfo { ThreadId = lane, Name = "activities: " + provider, Track = SpanTrack.Async });
        }
        return lane;
    }

    private void AddLaneSpan(uint lane, string module, string name, ulong startNs, ulong endNs, List<KeyValuePair<string, string>>? attributes)
    {
        if (lane == GcLane && _builder.CountEvents(GcLane) == 0 && !_gcLaneDeclared)
        {
            _builder.AddThread(new ThreadInfo { ThreadId = GcLane, Name = "GC", Track = SpanTrack.Async });
            _gcLaneDeclared = true;
        }
        _builder.AddSpan(new SpanRecord
        {
            SpanId = _nextSpanId++,
            ThreadId = lane,
            FunctionId = Function(module, name),
            StartNs = startNs,
            EndNs = Math.Max(startNs, endNs),
            Attributes = attributes,
        });
    }

    private bool _gcLaneDeclared;

    private ulong FunctionId(TraceCallStack frame)
    {
        var (module, name) = Names(frame);
        return Function(module, name);
    }

    private static (string Module, string Name) Names(TraceCallStack frame)
    {
        string module = frame.CodeAddress.ModuleName is { Length: > 0 } m ? m : "?";
        return (module, frame.CodeAddress.FullMethodName is { Length: > 0 } n ? n : module + "!?");
    }

    private ulong Function(string module, string name)
    {
        if (!_modules.TryGetValue(module, out uint moduleId))
        {
            moduleId = (uint)_modules.Count + 1;
            _modules[module] = moduleId;
            _builder.AddModule(new ModuleInfo(moduleId, module));
        }
        if (!_functions.TryGetValue((moduleId, name), out ulong id))
        {
            uint symbol = _nextSymbol.GetValueOrDefault(moduleId) + 1;
            _nextSymbol[moduleId] = symbol;
            id = ((ulong)moduleId << 32) | symbol;
            _functions[(moduleId, name)] = id;
            _builder.AddSymbol(new SymbolInfo(id, name));
        }
        return id;
    }
}
