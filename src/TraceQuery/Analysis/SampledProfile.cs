using TraceQuery.Model;

namespace TraceQuery.Analysis;

/// <summary>
/// What a trace's stack samples say (<see cref="ExecutionTrace.Samples"/>): sampled self and total time per function and
/// the heaviest stacks (hot paths). Only CPU samples count (<see cref="SampleTable.IsCpu"/>): a waiting thread's samples
/// are totalled apart (<see cref="WaitingNs"/>), so a wait method is never a hot spot. O(samples × stack depth) once,
/// over distinct stacks rather than samples where it can.
/// </summary>
public sealed class SampledProfile
{
    private SampledProfile(long cpuNs, long cpuSamples, long waitingNs, long waitingSamples, SampledFunction[] functions, SampledPath[] paths)
    {
        (CpuNs, CpuSamples, WaitingNs, WaitingSamples) = (cpuNs, cpuSamples, waitingNs, waitingSamples);
        (Functions, Paths) = (functions, paths);
    }

    /// <summary>Sum of the weights of the CPU samples covered, in nanoseconds.</summary>
    public long CpuNs { get; }

    /// <summary>CPU samples covered.</summary>
    public long CpuSamples { get; }

    /// <summary>Sum of the weights of the waiting samples covered (not CPU), in nanoseconds.</summary>
    public long WaitingNs { get; }

    /// <summary>Waiting samples covered.</summary>
    public long WaitingSamples { get; }

    /// <summary>Every function on a CPU sample's stack, by sampled self time, then total time, descending (ties: name, ordinal).</summary>
    public IReadOnlyList<SampledFunction> Functions { get; }

    /// <summary>Every distinct folded stack of the CPU samples, heaviest first (ties: folded text, ordinal).</summary>
    public IReadOnlyList<SampledPath> Paths { get; }

    /// <summary>The <paramref name="count"/> functions with the most sampled total time (ties: self time, then name).</summary>
    public IReadOnlyList<SampledFunction> TopByTotal(int count) =>
        [.. Functions.OrderByDescending(f => f.TotalNs).ThenByDescending(f => f.SelfNs).ThenBy(f => f.Name, StringComparer.Ordinal).Take(count)];

    /// <summary>The <paramref name="count"/> functions with the most sampled self time.</summary>
    public IReadOnlyList<SampledFunction> TopBySelf(int count) => [.. Functions.Take(count)];

    /// <summary>The whole trace's profile (as <see cref="Compute"/> with no scope), computed once per trace and shared.</summary>
    internal static SampledProfile Shared(ExecutionTrace trace, CancellationToken cancellationToken) =>
        TraceMemo.Get(trace, nameof(SampledProfile), _ => Compute(trace), cancellationToken);

    /// <summary>
    /// Sampled CPU time of the samples whose stack has <paramref name="caller"/> directly calling <paramref name="callee"/>
    /// (once per sample however often the pair repeats), in nanoseconds. O(paths × depth).
    /// </summary>
    public long WeightUnder(string caller, string callee)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(callee);
        long weight = 0;
        foreach (var path in Paths)
        {
            for (int i = 1; i < path.Frames.Count; i++)
            {
                if (path.Frames[i] == callee && path.Frames[i - 1] == caller)
                {
                    weight += path.WeightNs;
                    break;
                }
            }
        }
        return weight;
    }

    /// <summary>
    /// Computes the profile of the samples of <paramref name="trace"/> that <paramref name="scope"/> covers (all when null)
    /// and, when given, <paramref name="included"/> flags (one per sample, as <c>SampleFilter.Evaluate</c> gives them).
    /// </summary>
    public static SampledProfile Compute(ExecutionTrace trace, SampleScope? scope = null, IReadOnlyList<bool>? included = null)
    {
        ArgumentNullException.ThrowIfNull(trace);
        if (included is not null && included.Count != trace.Samples.Count)
            throw new ArgumentException($"{included.Count} flags for {trace.Samples.Count} samples.", nameof(included));
        scope ??= SampleScope.All;
        var samples = trace.Samples;
        var frames = samples.Frames;

        // Function names as small ids; frame -> name id; per name the module when it is always the same.
        var nameIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        var modules = new List<string?>();
        var modulesAgree = new List<bool>();
        var frameName = new int[frames.Count];
        for (int f = 0; f < frames.Count; f++)
        {
            var frame = frames[f];
            if (!nameIds.TryGetValue(frame.Function, out int id))
            {
                id = names.Count;
                nameIds.Add(frame.Function, id);
                names.Add(frame.Function);
                modules.Add(frame.Module);
                modulesAgree.Add(true);
            }
            else if (modulesAgree[id] && !string.Equals(modules[id], frame.Module, StringComparison.Ordinal))
            {
                modulesAgree[id] = false;
            }
            frameName[f] = id;
        }
        int wanted = scope.Function is { } fn && nameIds.TryGetValue(fn, out int w) ? w : -1;

        // Weight and count per stack first: stacks repeat far more than they differ.
        var stackWeight = new long[samples.StackCount];
        var stackCount = new long[samples.StackCount];
        var stackFirst = new int[samples.StackCount];
        long cpuNs = 0, cpuSamples = 0, waitingNs = 0, waitingSamples = 0;
        var times = samples.TimestampsNs;
        var threads = samples.ThreadIds;
        var stacks = samples.Stacks;
        var weights = samples.WeightsNs;
        for (int i = 0; i < samples.Count; i++)
        {
            if (included is not null && !included[i])
                continue;
            if (scope.ThreadId is { } t && threads[i] != t)
                continue;
            if ((scope.StartNs is { } start && times[i] < start) || (scope.EndNs is { } end && times[i] >= end))
                continue;
            int stack = stacks[i];
            if (scope.Function is not null && !Holds(samples, frameName, stack, wanted, scope.LeafOnly))
                continue;
            if (!samples.IsCpu(i))
            {
                waitingNs += weights[i];
                waitingSamples++;
                continue;
            }
            cpuNs += weights[i];
            cpuSamples++;
            if (stack >= 0)
            {
                if (stackCount[stack] == 0)
                    stackFirst[stack] = i;
                stackWeight[stack] += weights[i];
                stackCount[stack]++;
            }
        }

        var self = new long[names.Count];
        var total = new long[names.Count];
        var selfN = new long[names.Count];
        var totalN = new long[names.Count];
        var seen = new int[names.Count];
        Array.Fill(seen, -1);
        var folded = new Dictionary<string, (long Weight, long Count, string[] Frames, int Stack)>(StringComparer.Ordinal);
        for (int s = 0; s < stackWeight.Length; s++)
        {
            if (stackCount[s] == 0)
                continue;
            int leaf = frameName[samples.GetStackFrame(s)];
            self[leaf] += stackWeight[s];
            selfN[leaf] += stackCount[s];
            var path = new string[samples.GetStackDepth(s)];
            int at = path.Length;
            for (int x = s; x >= 0; x = samples.GetStackParent(x))
            {
                int name = frameName[samples.GetStackFrame(x)];
                path[--at] = names[name];
                if (seen[name] == s)
                    continue; // recursion: once per sample
                seen[name] = s;
                total[name] += stackWeight[s];
                totalN[name] += stackCount[s];
            }
            string key = string.Join(';', path);
            // The path's evidence is its heaviest distinct stack (ties: the lower id, seen first).
            folded[key] = folded.TryGetValue(key, out var had)
                ? (had.Weight + stackWeight[s], had.Count + stackCount[s], had.Frames, stackWeight[s] > stackWeight[had.Stack] ? s : had.Stack)
                : (stackWeight[s], stackCount[s], path, s);
        }

        var functions = new List<SampledFunction>();
        for (int n = 0; n < names.Count; n++)
        {
            if (totalN[n] > 0)
                functions.Add(new SampledFunction(names[n], modulesAgree[n] ? modules[n] : null, self[n], total[n], selfN[n], totalN[n]));
        }
        functions.Sort(static (a, b) =>
        {
            int c = b.SelfNs.CompareTo(a.SelfNs);
            if (c == 0)
                c = b.TotalNs.CompareTo(a.TotalNs);
            return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
        });
        var paths = folded.Select(p => new SampledPath(p.Value.Frames, p.Value.Weight, p.Value.Count) { Stack = p.Value.Stack, FirstSample = stackFirst[p.Value.Stack] }).ToList();
        paths.Sort(static (a, b) =>
        {
            int c = b.WeightNs.CompareTo(a.WeightNs);
            return c != 0 ? c : string.CompareOrdinal(a.Folded, b.Folded);
        });
        return new SampledProfile(cpuNs, cpuSamples, waitingNs, waitingSamples, [.. functions], [.. paths]);
    }

    /// <summary>
    /// The function a sampled finding without a function id is about: the leaf of the first <c>stack:</c> evidence it
    /// cites, as <paramref name="trace"/>'s samples name it; null when it cites none. Lets answers over several runs match
    /// a sampled hot spot by function rather than by its title (which carries the shares).
    /// </summary>
    internal static string? SampledLeaf(Finding finding, ExecutionTrace trace)
    {
        foreach (var evidence in finding.Evidence)
        {
            if (evidence.Kind == EvidenceKind.Stack && evidence.Value < (ulong)trace.Samples.StackCount)
                return trace.Samples.Frames[trace.Samples.GetStackFrame((int)evidence.Value)].Function;
        }
        return null;
    }

    private static bool Holds(SampleTable samples, int[] frameName, int stack, int wanted, bool leafOnly)
    {
        if (wanted < 0 || stack < 0)
            return false;
        if (leafOnly)
            return frameName[samples.GetStackFrame(stack)] == wanted;
        for (int x = stack; x >= 0; x = samples.GetStackParent(x))
        {
            if (frameName[samples.GetStackFrame(x)] == wanted)
                return true;
        }
        return false;
    }
}
