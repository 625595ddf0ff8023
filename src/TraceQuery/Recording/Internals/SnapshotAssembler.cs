using System.Globalization;
using System.Runtime.InteropServices;
using TraceQuery.Model;

namespace TraceQuery.Recording.Internals;

/// <summary>Turns the ring entries of a snapshot into spans of a <see cref="TraceBuilder"/>, and the drops into warnings.</summary>
internal static class SnapshotAssembler
{
    /// <summary>The <see cref="TraceMetadata.SourceFormat"/> of a recorder snapshot.</summary>
    public const string SourceFormat = "activity";

    private struct Draft
    {
        public int Start;
        public int Stop;
    }

    public static ExecutionTrace Build(List<RecordedEvent> entries, RecordedFunction[] functions, Dictionary<int, string?> threadNames, RecordingDrops drops)
    {
        // Entries in ring order; a span is placed where its first entry was (deterministic for a recording).
        var drafts = new Dictionary<ulong, Draft>();
        var order = new List<ulong>();
        var span = CollectionsMarshal.AsSpan(entries);
        for (int i = 0; i < span.Length; i++)
        {
            ref readonly var entry = ref span[i];
            if (entry.Kind == RecordedKind.Exception || entry.SpanId == 0)
                continue;
            ref var draft = ref CollectionsMarshal.GetValueRefOrAddDefault(drafts, entry.SpanId, out bool exists);
            if (!exists)
            {
                draft = new Draft { Start = -1, Stop = -1 };
                order.Add(entry.SpanId);
            }
            if (entry.Kind == RecordedKind.Start)
                draft.Start = draft.Start < 0 ? i : draft.Start;
            else
                draft.Stop = draft.Stop < 0 ? i : draft.Stop;
        }

        var builder = new TraceBuilder();
        var usedFunctions = new SortedSet<int>();
        var usedThreads = new SortedSet<int>();
        int stopOnly = 0;
        foreach (ulong id in order)
        {
            var draft = drafts[id];
            bool hasStart = draft.Start >= 0, hasStop = draft.Stop >= 0;
            ref readonly var start = ref span[hasStart ? draft.Start : draft.Stop];
            ref readonly var stop = ref span[hasStop ? draft.Stop : draft.Start];
            if (!hasStart)
                stopOnly++;
            // The stop knows the final name (a display name may change after the start).
            int function = hasStop ? stop.Function : start.Function;
            usedFunctions.Add(function);
            usedThreads.Add(start.ThreadId);
            builder.AddSpan(new SpanRecord
            {
                SpanId = id,
                ParentSpanId = start.ParentSpanId,
                ThreadId = (uint)start.ThreadId,
                FunctionId = functions[function].FunctionId,
                StartNs = ToNanoseconds(start.StartTicks),
                EndNs = hasStop ? ToNanoseconds(stop.TimeTicks) : null,
                Error = hasStop && stop.Failed ? Text(stop.Text) ?? "" : null,
            });
        }
        foreach (ref readonly var entry in span)
        {
            if (entry.Kind == RecordedKind.Exception)
                builder.AddSpanException(entry.SpanId, ToNanoseconds(entry.TimeTicks), ExceptionMessage(entry.Type, Text(entry.Text)));
        }

        var modules = new SortedDictionary<uint, string>();
        foreach (int f in usedFunctions)
        {
            var function = functions[f];
            modules.TryAdd((uint)(function.FunctionId >> 32), function.SourceName);
            builder.AddSymbol(new SymbolInfo(function.FunctionId, function.Name));
        }
        foreach (var (moduleId, name) in modules)
            builder.AddModule(new ModuleInfo(moduleId, name));
        foreach (int thread in usedThreads)
            builder.AddThread((uint)thread, threadNames.GetValueOrDefault(thread));

        builder.Metadata = new TraceMetadata
        {
            SourceFormat = SourceFormat,
            Os = CurrentOs(),
            Arch = RuntimeInformation.ProcessArchitecture switch
            {
                Architecture.X64 => TraceArch.X86_64,
                Architecture.Arm64 => TraceArch.Arm64,
                _ => TraceArch.Unknown,
            },
            Warnings = Warnings(drops, stopOnly),
        };
        return builder.Build();
    }

    private static List<string> Warnings(RecordingDrops drops, int stopOnly)
    {
        var warnings = new List<string>();
        long dropped = drops.Overwritten + drops.Unreadable;
        if (dropped > 0)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"{dropped:N0} of {drops.Written:N0} recorded activity events were dropped: {drops.Overwritten:N0} overwritten (the ring keeps the newest {drops.Capacity:N0}), {drops.Unreadable:N0} being written or lost to a contended slot at snapshot time."));
        }
        if (stopOnly > 0)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"{stopOnly:N0} span(s) whose start event was not kept (overwritten, or started before the recorder) are shown whole from their stop event, on the thread that stopped them."));
        }
        if (drops.Folded > 0)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"{drops.Folded:N0} activities were recorded as \"{FunctionTable.OtherName}\": more than {drops.MaxFunctions:N0} distinct names (TraceRecorderOptions.MaxFunctions)."));
        }
        return warnings;
    }

    private static TraceOs CurrentOs() =>
        OperatingSystem.IsLinux() ? TraceOs.Linux
        : OperatingSystem.IsWindows() ? TraceOs.Windows
        : OperatingSystem.IsMacOS() ? TraceOs.MacOS
        : OperatingSystem.IsIOS() ? TraceOs.IOS
        : OperatingSystem.IsAndroid() ? TraceOs.Android
        : TraceOs.Unknown;

    /// <summary>UTC ticks to nanoseconds since the Unix epoch (0 before it).</summary>
    private static ulong ToNanoseconds(long ticks) =>
        ticks <= DateTime.UnixEpoch.Ticks ? 0 : (ulong)(ticks - DateTime.UnixEpoch.Ticks) * 100;

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static string? ExceptionMessage(object? type, string? message)
    {
        string? typeName = Text(type);
        if (string.IsNullOrEmpty(typeName))
            return message;
        return string.IsNullOrEmpty(message) ? typeName : typeName + ": " + message;
    }
}
