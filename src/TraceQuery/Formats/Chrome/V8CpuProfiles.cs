using System.Text.Json;
using TraceQuery.Formats.Internals;
using TraceQuery.Model;

namespace TraceQuery.Formats.Chrome;

/// <summary>
/// V8 CPU profiles as stack samples: Chrome <c>Profile</c>/<c>ProfileChunk</c> records (ph <c>P</c>, one profile per pid
/// and id, nodes and samples spread over chunks), a whole <c>cpuProfile</c> inside one record (older DevTools, webpack's
/// ProfilingPlugin) and a <c>.cpuprofile</c> file (<c>node --cpu-prof</c>). Sample <c>i</c> is at the profile's start plus
/// the sum of <c>timeDeltas[0..i]</c> and weighs <c>timeDeltas[i+1]</c> (the gap to the next sample, as DevTools charges
/// it; the last sample weighs 0). A sample whose leaf is <c>(idle)</c> is waiting, every other one running; the
/// <c>(root)</c> node is not a frame. Samples naming a node the profile does not hold are counted and said.
/// Legacy sample records (ph <c>P</c> with <c>sf</c>, an id in the file's top-level <c>stackFrames</c> dictionary of
/// <c>{name, category, parent}</c>, or with <c>stack</c>, frame names root first) are stack samples too: frame = name
/// with the category as its module, at the record's <c>ts</c>, weighing the gap to the same thread's next sample (the
/// last weighs 0, as for V8); ids that are not in the dictionary are counted and said.
/// </summary>
/// <remarks>Only profile records are parsed here (with <see cref="JsonDocument"/>): they are few and carry arrays the
/// streaming args reader keeps as raw text.</remarks>
internal sealed class V8CpuProfiles
{
    private const string RootName = "(root)";
    private const string IdleName = "(idle)";
    private const string Anonymous = "(anonymous)";
    private const int MaxStackDepth = 4096;

    private readonly Dictionary<(long Pid, string Id), Profile> _byKey = [];
    private readonly List<Profile> _profiles = [];
    private readonly List<LegacySample> _legacy = [];
    private byte[]? _stackFrames;

    /// <summary>A legacy <c>P</c> record: its thread, time (µs) and either a <c>stackFrames</c> id or frame names root first.</summary>
    private readonly record struct LegacySample(long Pid, long Tid, double TsUs, string? FrameId, string[]? Names);

    private sealed class Profile
    {
        public required long Pid { get; init; }
        public required string Id { get; init; }
        public long Tid { get; set; }
        public bool TidFromProfileRecord { get; set; }
        public double StartUs { get; set; } = double.NaN;
        public Dictionary<long, (SampleFrame Frame, long Parent)> Nodes { get; } = [];
        public List<long> Samples { get; } = [];
        public List<double> Deltas { get; } = [];
    }

    /// <summary>Number of samples the profiles hold (mapped or not).</summary>
    public long SampleCount
    {
        get
        {
            long n = 0;
            foreach (var p in _profiles)
                n += p.Samples.Count;
            return n;
        }
    }

    /// <summary>True when any profile or legacy sample was seen.</summary>
    public bool Any => _profiles.Count > 0 || _legacy.Count > 0;

    /// <summary>Legacy <c>P</c> sample records seen (mapped or not).</summary>
    public long LegacySampleCount => _legacy.Count;

    /// <summary>Keeps the file's top-level <c>stackFrames</c> dictionary (raw JSON), parsed only if legacy samples refer to it.</summary>
    public void SetStackFrames(ReadOnlySpan<byte> json) => _stackFrames = json.ToArray();

    /// <summary>
    /// Takes a Chrome record that carries a CPU profile: <c>Profile</c>/<c>ProfileChunk</c> (ph <c>P</c>) or any record
    /// whose <c>args.data.cpuProfile</c> holds nodes. Returns false for any other record.
    /// </summary>
    public bool TryAddRecord(ReadOnlySpan<byte> json, long offset, long record, string path, char phase, string? name, long pid, long tid, string? id)
    {
        bool chunked = phase == 'P' && name is "Profile" or "ProfileChunk";
        using var document = Parse(json, offset, path);
        if (phase == 'P' && !chunked && TryAddLegacy(document.RootElement, pid, tid))
            return true;
        if (!document.RootElement.TryGetProperty("args", out var args) || args.ValueKind != JsonValueKind.Object
            || !args.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            return chunked;
        if (chunked)
        {
            var key = (pid, id ?? "");
            if (!_byKey.TryGetValue(key, out var profile))
            {
                _byKey[key] = profile = new Profile { Pid = pid, Id = id ?? "", Tid = tid };
                _profiles.Add(profile);
            }
            if (name == "Profile")
            {
                profile.Tid = tid;
                profile.TidFromProfileRecord = true;
                if (Number(data, "startTime") is { } start)
                    profile.StartUs = start;
            }
            if (data.TryGetProperty("cpuProfile", out var cpuProfile) && cpuProfile.ValueKind == JsonValueKind.Object)
                AddProfileContent(profile, cpuProfile, data);
            return true;
        }
        if (!data.TryGetProperty("cpuProfile", out var whole) || whole.ValueKind != JsonValueKind.Object || !whole.TryGetProperty("nodes", out _))
            return false;
        // A whole profile in one record has no id: it is named after its record and the record's position in the file.
        var single = new Profile { Pid = pid, Id = JsonValues.Invariant($"{name}@{record}"), Tid = tid, TidFromProfileRecord = true, StartUs = Number(whole, "startTime") ?? double.NaN };
        _profiles.Add(single);
        AddProfileContent(single, whole, data);
        return true;
    }

    /// <summary>
    /// Starts a <c>.cpuprofile</c> profile (one profile, on thread <paramref name="tid"/>) that starts at
    /// <paramref name="startUs"/>; its parts come through <see cref="AddNodes(int, JsonElement)"/>, <see cref="AddSamples(int, JsonElement)"/> and <see cref="AddDeltas(int, JsonElement)"/>.
    /// </summary>
    public int StartCpuProfile(long tid, double startUs)
    {
        _profiles.Add(new Profile { Pid = 0, Id = "", Tid = tid, TidFromProfileRecord = true, StartUs = startUs });
        return _profiles.Count - 1;
    }

    /// <summary>Sets the start time (µs) of profile <paramref name="profile"/>.</summary>
    public void SetStart(int profile, double startUs) => _profiles[profile].StartUs = startUs;

    /// <summary>Adds a <c>nodes</c> array to profile <paramref name="profile"/>.</summary>
    public void AddNodes(int profile, JsonElement nodes) => AddNodes(_profiles[profile], nodes);

    /// <summary>Adds a <c>samples</c> array to profile <paramref name="profile"/>.</summary>
    public void AddSamples(int profile, JsonElement samples) => AddSamples(_profiles[profile], samples);

    /// <summary>Adds a <c>timeDeltas</c> array to profile <paramref name="profile"/>.</summary>
    public void AddDeltas(int profile, JsonElement deltas) => AddDeltas(_profiles[profile], deltas);

    /// <summary>
    /// Adds every profile's samples to <paramref name="builder"/> on the thread <paramref name="threadOf"/> gives for its
    /// pid and tid; what could not be mapped is said in <paramref name="warnings"/>; each profile is described in
    /// <paramref name="described"/> (pid written by <paramref name="pidText"/>). Returns the samples added.
    /// </summary>
    public long AddTo(TraceBuilder builder, Func<long, long, uint> threadOf, List<string> warnings, List<SampleProfileInfo>? described = null, Func<long, string?>? pidText = null)
    {
        long added = _legacy.Count > 0 ? AddLegacyTo(builder, threadOf, warnings) : 0;
        long unknownNodes = 0, cutStacks = 0, beforeZero = 0;
        var unknownByProfile = new List<string>();
        foreach (var profile in _profiles)
        {
            uint thread = threadOf(profile.Pid, profile.Tid);
            long addedBefore = added, unknownBefore = unknownNodes;
            var stacks = new Dictionary<long, int>(profile.Nodes.Count);
            double startUs = double.IsNaN(profile.StartUs) ? 0 : profile.StartUs;
            double atUs = startUs;
            for (int i = 0; i < profile.Samples.Count; i++)
            {
                if (i < profile.Deltas.Count)
                    atUs += profile.Deltas[i];
                double weightUs = i + 1 < profile.Deltas.Count ? Math.Max(0, profile.Deltas[i + 1]) : 0;
                long node = profile.Samples[i];
                if (!profile.Nodes.TryGetValue(node, out var entry))
                {
                    unknownNodes++;
                    continue;
                }
                int stack = StackOf(builder, profile, node, stacks, ref cutStacks);
                long ns = (long)Math.Round(atUs * 1000.0);
                if (ns < 0)
                {
                    beforeZero++;
                    ns = 0;
                }
                var state = entry.Frame.Function == IdleName ? SampleState.Waiting : SampleState.Running;
                builder.AddSample(thread, (ulong)ns, stack, (long)Math.Round(weightUs * 1000.0), state);
                added++;
            }
            described?.Add(new SampleProfileInfo(profile.Id, pidText?.Invoke(profile.Pid), thread, profile.Samples.Count, added - addedBefore));
            if (unknownNodes > unknownBefore)
                unknownByProfile.Add(JsonValues.Invariant($"{(profile.Id.Length > 0 ? "profile " + profile.Id : "the profile")}: {unknownNodes - unknownBefore} of {profile.Samples.Count}"));
        }
        if (unknownNodes > 0)
            warnings.Add(JsonValues.Invariant($"{unknownNodes} CPU sample(s) named a profile node the profile does not hold (a profile cut short, or one with no nodes) and were not kept ({string.Join("; ", unknownByProfile)})."));
        if (cutStacks > 0)
            warnings.Add(JsonValues.Invariant($"{cutStacks} profile node(s) had a parent chain that loops or is deeper than {MaxStackDepth}; their stacks were cut there."));
        if (beforeZero > 0)
            warnings.Add(JsonValues.Invariant($"{beforeZero} CPU sample(s) fell before time 0 (negative time deltas) and were placed at 0."));
        return added;
    }

    /// <summary>Takes a legacy sample record (<c>sf</c> or <c>stack</c>, and <c>ts</c>); false when it has neither.</summary>
    private bool TryAddLegacy(JsonElement record, long pid, long tid)
    {
        if (Number(record, "ts") is not { } ts)
            return false;
        if (record.TryGetProperty("sf", out var sf))
        {
            string? frameId = IdText(sf);
            if (frameId is null)
                return false;
            _legacy.Add(new LegacySample(pid, tid, ts, frameId, null));
            return true;
        }
        if (record.TryGetProperty("stack", out var stack) && stack.ValueKind == JsonValueKind.Array)
        {
            var names = new List<string>();
            foreach (var frame in stack.EnumerateArray())
                names.Add(frame.ValueKind == JsonValueKind.String && frame.GetString() is { Length: > 0 } n ? n : Anonymous);
            _legacy.Add(new LegacySample(pid, tid, ts, null, [.. names]));
            return true;
        }
        return false;
    }

    /// <summary>
    /// Adds the legacy samples: per thread in time order, each weighing the gap to the thread's next one (the last 0);
    /// <c>sf</c> ids resolved through <c>stackFrames</c>, parents first. Returns the samples added.
    /// </summary>
    private long AddLegacyTo(TraceBuilder builder, Func<long, long, uint> threadOf, List<string> warnings)
    {
        var frames = new Dictionary<string, (SampleFrame Frame, string? Parent)>(StringComparer.Ordinal);
        bool dictionary = false;
        if (_stackFrames is not null)
        {
            try
            {
                using var document = JsonDocument.Parse(_stackFrames, new JsonDocumentOptions { MaxDepth = 64 });
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    dictionary = true;
                    foreach (var entry in document.RootElement.EnumerateObject())
                    {
                        if (entry.Value.ValueKind != JsonValueKind.Object)
                            continue;
                        string function = entry.Value.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && n.GetString() is { Length: > 0 } text ? text : Anonymous;
                        string? module = entry.Value.TryGetProperty("category", out var c) && c.ValueKind == JsonValueKind.String && c.GetString() is { Length: > 0 } category ? category : null;
                        string? parent = entry.Value.TryGetProperty("parent", out var p) ? IdText(p) : null;
                        frames[entry.Name] = (new SampleFrame(function, module), parent);
                    }
                }
            }
            catch (JsonException)
            {
                // Read through the reader's own streaming pass already, so this does not happen; if it does, every id is unknown.
            }
        }

        var stacks = new Dictionary<string, int>(StringComparer.Ordinal);
        long added = 0, unknown = 0, cut = 0, beforeZero = 0;
        var byThread = _legacy.Select((s, i) => (Sample: s, Order: i))
            .OrderBy(x => x.Sample.Pid).ThenBy(x => x.Sample.Tid).ThenBy(x => x.Sample.TsUs).ThenBy(x => x.Order).Select(x => x.Sample).ToList();
        for (int i = 0; i < byThread.Count; i++)
        {
            var sample = byThread[i];
            int stack;
            if (sample.Names is { } names)
            {
                stack = names.Length == 0 ? SampleTable.NoStack : builder.AddSampleStack([.. names.Select(n => new SampleFrame(n))]);
            }
            else if (!frames.ContainsKey(sample.FrameId!))
            {
                unknown++;
                continue;
            }
            else
            {
                stack = LegacyStack(builder, frames, stacks, sample.FrameId!, ref cut);
            }
            var next = i + 1 < byThread.Count && byThread[i + 1].Pid == sample.Pid && byThread[i + 1].Tid == sample.Tid ? byThread[i + 1] : (LegacySample?)null;
            double weightUs = next is { } n ? n.TsUs - sample.TsUs : 0;
            long ns = (long)Math.Round(sample.TsUs * 1000.0);
            if (ns < 0)
            {
                beforeZero++;
                ns = 0;
            }
            string leaf = stack >= 0 ? LeafName(sample, frames) : "";
            builder.AddSample(threadOf(sample.Pid, sample.Tid), (ulong)ns, stack, (long)Math.Round(weightUs * 1000.0), leaf == IdleName ? SampleState.Waiting : SampleState.Running);
            added++;
        }
        if (unknown > 0)
        {
            warnings.Add(dictionary
                ? JsonValues.Invariant($"{unknown} legacy sample record(s) (ph P) named a stack frame id ('sf') the file's 'stackFrames' dictionary does not hold and were not kept.")
                : JsonValues.Invariant($"{unknown} legacy sample record(s) (ph P) name a stack frame id ('sf') but the file has no 'stackFrames' dictionary; they were not kept."));
        }
        if (cut > 0)
            warnings.Add(JsonValues.Invariant($"{cut} stack frame(s) of 'stackFrames' had a parent chain that loops, names a missing frame or is deeper than {MaxStackDepth}; their stacks were cut there."));
        if (beforeZero > 0)
            warnings.Add(JsonValues.Invariant($"{beforeZero} legacy sample(s) fell before time 0 and were placed at 0."));
        return added;
    }

    /// <summary>A <c>stackFrames</c> id as written (<c>3</c> or <c>"3"</c>), or null for any other value.</summary>
    private static string? IdText(JsonElement id) => id.ValueKind switch
    {
        JsonValueKind.Number => id.GetRawText(),
        JsonValueKind.String => id.GetString(),
        _ => null,
    };

    private static string LeafName(LegacySample sample, Dictionary<string, (SampleFrame Frame, string? Parent)> frames) =>
        sample.Names is { Length: > 0 } names ? names[^1] : sample.FrameId is { } id && frames.TryGetValue(id, out var f) ? f.Frame.Function : "";

    /// <summary>The stack of a <c>stackFrames</c> id: walk up to a known stack (or a root), then build down. A loop, a missing parent or too deep a chain is cut and counted.</summary>
    private static int LegacyStack(TraceBuilder builder, Dictionary<string, (SampleFrame Frame, string? Parent)> frames, Dictionary<string, int> stacks, string id, ref long cut)
    {
        var chain = new List<string>();
        var onChain = new HashSet<string>(StringComparer.Ordinal);
        string? at = id;
        int parentStack = SampleTable.NoStack;
        while (at is not null)
        {
            if (stacks.TryGetValue(at, out int known))
            {
                parentStack = known;
                break;
            }
            if (!frames.TryGetValue(at, out var entry) || chain.Count >= MaxStackDepth || !onChain.Add(at))
            {
                cut++;
                break;
            }
            chain.Add(at);
            at = entry.Parent;
        }
        int stack = parentStack;
        for (int i = chain.Count - 1; i >= 0; i--)
        {
            stack = builder.AddSampleStack(stack, builder.AddSampleFrame(frames[chain[i]].Frame));
            stacks[chain[i]] = stack;
        }
        return stack;
    }

    private static int StackOf(TraceBuilder builder, Profile profile, long node, Dictionary<long, int> stacks, ref long cutStacks)
    {
        if (stacks.TryGetValue(node, out int known))
            return known;
        // Walk up to the first node whose stack is known (or the root), then build down.
        var chain = new List<long>();
        long at = node;
        int parentStack = SampleTable.NoStack;
        while (true)
        {
            if (stacks.TryGetValue(at, out int s))
            {
                parentStack = s;
                break;
            }
            if (chain.Count >= MaxStackDepth || chain.Contains(at))
            {
                cutStacks++;
                break;
            }
            chain.Add(at);
            if (!profile.Nodes.TryGetValue(at, out var entry) || entry.Parent < 0 || !profile.Nodes.ContainsKey(entry.Parent))
                break;
            at = entry.Parent;
        }
        int stack = parentStack;
        for (int i = chain.Count - 1; i >= 0; i--)
        {
            var frame = profile.Nodes[chain[i]].Frame;
            if (frame.Function != RootName || stack != SampleTable.NoStack)
                stack = builder.AddSampleStack(stack, builder.AddSampleFrame(frame));
            stacks[chain[i]] = stack;
        }
        return stack;
    }

    private static void AddProfileContent(Profile profile, JsonElement cpuProfile, JsonElement deltasOwner)
    {
        if (cpuProfile.TryGetProperty("nodes", out var nodes))
            AddNodes(profile, nodes);
        if (cpuProfile.TryGetProperty("samples", out var samples))
            AddSamples(profile, samples);
        if (cpuProfile.TryGetProperty("timeDeltas", out var inner))
            AddDeltas(profile, inner);
        else if (deltasOwner.TryGetProperty("timeDeltas", out var outer))
            AddDeltas(profile, outer);
    }

    private static void AddNodes(Profile profile, JsonElement nodes)
    {
        if (nodes.ValueKind != JsonValueKind.Array)
            return;
        foreach (var node in nodes.EnumerateArray())
        {
            if (node.ValueKind != JsonValueKind.Object || Integer(node, "id") is not { } nodeId)
                continue;
            long parent = Integer(node, "parent") ?? (profile.Nodes.TryGetValue(nodeId, out var had) ? had.Parent : -1);
            profile.Nodes[nodeId] = (FrameOf(node), parent);
            if (!node.TryGetProperty("children", out var children) || children.ValueKind != JsonValueKind.Array)
                continue;
            foreach (var child in children.EnumerateArray())
            {
                if (child.ValueKind != JsonValueKind.Number || !child.TryGetInt64(out long childId))
                    continue;
                // A child listed before its own entry gets a placeholder frame, replaced (parent kept) when the entry comes.
                profile.Nodes[childId] = profile.Nodes.TryGetValue(childId, out var c) ? (c.Frame, nodeId) : (new SampleFrame(Anonymous), nodeId);
            }
        }
    }

    private static void AddSamples(Profile profile, JsonElement samples)
    {
        if (samples.ValueKind != JsonValueKind.Array)
            return;
        foreach (var sample in samples.EnumerateArray())
            profile.Samples.Add(sample.ValueKind == JsonValueKind.Number && sample.TryGetInt64(out long n) ? n : long.MinValue);
    }

    private static void AddDeltas(Profile profile, JsonElement deltas)
    {
        if (deltas.ValueKind != JsonValueKind.Array)
            return;
        foreach (var delta in deltas.EnumerateArray())
            profile.Deltas.Add(delta.ValueKind == JsonValueKind.Number && delta.TryGetDouble(out double d) && double.IsFinite(d) ? d : 0);
    }

    private static SampleFrame FrameOf(JsonElement node)
    {
        if (!node.TryGetProperty("callFrame", out var frame) || frame.ValueKind != JsonValueKind.Object)
            return new SampleFrame(Anonymous);
        string function = frame.TryGetProperty("functionName", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : "";
        string? url = frame.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        long line = Integer(frame, "lineNumber") ?? -1;
        long column = Integer(frame, "columnNumber") ?? -1;
        return new SampleFrame(
            function.Length == 0 ? Anonymous : function,
            string.IsNullOrEmpty(url) ? null : url,
            line is >= 0 and < int.MaxValue ? (int)line + 1 : 0,
            column is >= 0 and < int.MaxValue ? (int)column + 1 : 0);
    }

    private static long? Integer(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) ? n : null;

    private static double? Number(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double n) && double.IsFinite(n) ? n : null;

    private static JsonDocument Parse(ReadOnlySpan<byte> json, long offset, string path)
    {
        try
        {
            return JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new TraceFormatException(path, offset + (e.BytePositionInLine ?? 0), "a CPU profile record is not valid JSON: " + e.Message);
        }
    }
}
