using System.Globalization;
using System.Text;
using TraceQuery.Model;

namespace TraceQuery.Text;

/// <summary>
/// Stack samples in words: a frame (<c>JSON.parse (app.js:12:5)</c>), a stack from the root to the leaf, a sample's line
/// (time, thread, state, weight, stack) and a distinct stack's line (its frames and the samples that had it), as
/// <c>events.get</c> resolves <c>sample:&lt;index&gt;</c> and <c>stack:&lt;id&gt;</c>.
/// </summary>
internal static class SampleText
{
    /// <summary>A frame: its function, then its module and line where given.</summary>
    public static string Frame(SampleFrame frame)
    {
        if (frame.Module is null && frame.Line <= 0)
            return frame.Function;
        var where = new StringBuilder(frame.Module ?? "");
        if (frame.Line > 0)
            where.Append(where.Length > 0 ? ":" : "line ").Append(frame.Line.ToString(CultureInfo.InvariantCulture));
        if (frame.Line > 0 && frame.Column > 0)
            where.Append(':').Append(frame.Column.ToString(CultureInfo.InvariantCulture));
        return $"{frame.Function} ({where})";
    }

    /// <summary>The frames of <paramref name="stack"/> from the root to the leaf joined by <c> &gt; </c>, with modules and lines; "(no frames)" for none.</summary>
    public static string Stack(SampleTable samples, int stack)
    {
        if (stack < 0)
            return "(no frames)";
        var frames = samples.GetFramesRootFirst(stack);
        return string.Join(" > ", frames.Select(f => Frame(samples.Frames[f])));
    }

    /// <summary>
    /// <c>thread 7 (CrRendererMain, pid 31029)</c>: the model's thread id with the thread's own name and process id when
    /// known (not <see cref="TraceThread.Label"/>, whose process name can be a whole command line); <c>thread 7</c> otherwise.
    /// </summary>
    public static string Thread(ExecutionTrace trace, uint threadId)
    {
        string id = "thread " + threadId.ToString(CultureInfo.InvariantCulture);
        if (!trace.TryGetThread(threadId, out var t))
            return id;
        string who = string.Join(", ", new[] { t.Name, t.ProcessId is { } pid ? "pid " + pid : null }.Where(x => !string.IsNullOrEmpty(x)));
        return who.Length == 0 ? id : $"{id} ({who})";
    }

    /// <summary>A state in lower case: running, waiting or unknown (counted as CPU).</summary>
    public static string State(SampleState state) => state switch
    {
        SampleState.Running => "running",
        SampleState.Waiting => "waiting",
        _ => "state unknown (counted as CPU)",
    };

    /// <summary>
    /// <c>- sample:{i}: +{time} on {thread} running, weight 1ms, stack:{id} a &gt; b &gt; c</c>; or that the trace has no such sample.
    /// </summary>
    public static string Sample(ExecutionTrace trace, int sample)
    {
        var samples = trace.Samples;
        if (sample < 0 || sample >= samples.Count)
            return $"- sample:{sample}: no such sample in this trace ({NoneOr(samples.Count, "sample")})";
        string who = Thread(trace, samples.ThreadIds[sample]);
        int stack = samples.Stacks[sample];
        string stackRef = stack >= 0 ? $"stack:{stack.ToString(CultureInfo.InvariantCulture)} " : "";
        return $"- sample:{sample.ToString(CultureInfo.InvariantCulture)}: +{TextFormat.Duration(samples.TimestampsNs[sample] - trace.TimeStartNs)} on {who} {State(samples.States[sample])}, "
            + $"weight {TextFormat.Duration(samples.WeightsNs[sample])}, {stackRef}{Stack(samples, stack)}";
    }

    /// <summary>
    /// <c>- stack:{id}: a &gt; b &gt; c · {n} CPU samples ({time}), {w} waiting · first sample:{i}</c>; or that the trace has no such stack.
    /// O(samples) for the counts.
    /// </summary>
    public static string StackLine(ExecutionTrace trace, int stack)
    {
        var samples = trace.Samples;
        if (stack < 0 || stack >= samples.StackCount)
            return $"- stack:{stack}: no such stack in this trace ({NoneOr(samples.StackCount, "stack")})";
        long cpu = 0, cpuNs = 0, waiting = 0;
        int first = -1;
        var stacks = samples.Stacks;
        var weights = samples.WeightsNs;
        for (int i = 0; i < stacks.Length; i++)
        {
            if (stacks[i] != stack)
                continue;
            if (first < 0)
                first = i;
            if (samples.IsCpu(i))
            {
                cpu++;
                cpuNs += weights[i];
            }
            else
            {
                waiting++;
            }
        }
        string firstText = first >= 0 ? $" · first sample:{first.ToString(CultureInfo.InvariantCulture)}" : "";
        return $"- stack:{stack.ToString(CultureInfo.InvariantCulture)}: {Stack(samples, stack)} · {samples.GetStackDepth(stack).ToString(CultureInfo.InvariantCulture)} frames, leaf last · "
            + $"{TextFormat.Count(cpu)} CPU samples ({TextFormat.Duration(cpuNs)}) and {TextFormat.Count(waiting)} waiting with exactly this stack{firstText}";
    }

    private static string NoneOr(int count, string noun) => count == 0
        ? $"it has no {noun}s"
        : $"it has {TextFormat.Count(count)}: {noun}:0 to {noun}:{(count - 1).ToString(CultureInfo.InvariantCulture)}";
}
