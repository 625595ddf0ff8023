using Parquet;
using Parquet.Schema;
using TraceQuery.Analysis;
using TraceQuery.Model;

namespace TraceQuery.Parquet.Internals;

/// <summary>
/// Fills one row group of each lake table from the model, column by column in schema order. Each call allocates
/// its column buffers for the rows of that group only; strings are shared per function, not copied per row.
/// </summary>
internal static class LakeRows
{
    public static async Task WriteEventsAsync(ParquetRowGroupWriter group, ExecutionTrace trace, FunctionNames names, string traceName, int from, int count, CancellationToken cancellationToken)
    {
        var fields = TraceLakeSchema.EventsSchema.DataFields;
        var spanOfEvent = trace.Spans.SpanOfEvent;
        var ordinals = trace.FunctionOrdinals;
        var kinds = trace.Kinds;
        var depths = trace.Depths;
        var details = trace.DetailSeqs;
        var threadIds = new long[count];
        var seqs = new long[count];
        var function = new string[count];
        var module = new string[count];
        var functionIds = new string[count];
        var kind = new string[count];
        var depth = new long[count];
        var spanIds = new long?[count];
        var threadNames = new string?[count];
        var messages = new string?[count];
        var detail = new long?[count];
        bool hasMessages = trace.Messages.Count > 0;
        var thread = trace.GetThreadOfEvent(from);
        for (int r = 0; r < count; r++)
        {
            int e = from + r;
            while (e >= thread.End)
                thread = trace.Threads[thread.Index + 1];
            var reference = trace.GetEventRef(e);
            threadIds[r] = reference.ThreadId;
            seqs[r] = reference.Seq;
            int o = ordinals[e];
            function[r] = names.Names[o];
            module[r] = names.Modules[o];
            functionIds[r] = names.Ids[o];
            kind[r] = AnswerWords.Of((EventKind)kinds[e]);
            depth[r] = depths[e];
            spanIds[r] = spanOfEvent[e] >= 0 ? spanOfEvent[e] : null;
            threadNames[r] = thread.Name;
            messages[r] = hasMessages && trace.TryGetMessage(e, out string message) ? message : null;
            detail[r] = details[e] == TraceEvent.NoDetail ? null : details[e];
        }
        await Text(group, fields[0], Repeat(traceName, count)).ConfigureAwait(false);
        await Numbers(group, fields[1], threadIds, cancellationToken).ConfigureAwait(false);
        await Numbers(group, fields[2], seqs, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<long>(fields[3], trace.Timestamps.Slice(from, count).ToArray().AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await Text(group, fields[4], kind).ConfigureAwait(false);
        await Text(group, fields[5], function).ConfigureAwait(false);
        await Text(group, fields[6], module).ConfigureAwait(false);
        await Numbers(group, fields[7], depth, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<long>(fields[8], spanIds.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await Text(group, fields[9], functionIds).ConfigureAwait(false);
        await Text(group, fields[10], threadNames!).ConfigureAwait(false);
        await Text(group, fields[11], messages!).ConfigureAwait(false);
        await group.WriteAsync<long>(fields[12], detail.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public static async Task WriteSpansAsync(ParquetRowGroupWriter group, ExecutionTrace trace, FunctionNames names, string traceName,
        long[] durations, long[] selfTimes, int from, int count, CancellationToken cancellationToken)
    {
        var fields = TraceLakeSchema.SpansSchema.DataFields;
        var spans = trace.Spans;
        var ids = new long[count];
        var parents = new long?[count];
        var threads = new long[count];
        var function = new string[count];
        var module = new string[count];
        var starts = new long[count];
        var depth = new long[count];
        var status = new string[count];
        var functionIds = new string[count];
        var ends = new long[count];
        var startSeqs = new long[count];
        var endSeqs = new long?[count];
        var raised = new bool[count];
        for (int r = 0; r < count; r++)
        {
            int s = from + r;
            var span = spans.Get(s);
            int o = spans.GetFunctionOrdinal(s);
            ids[r] = s;
            parents[r] = span.ParentId >= 0 ? span.ParentId : null;
            threads[r] = span.ThreadId;
            function[r] = names.Names[o];
            module[r] = names.Modules[o];
            starts[r] = span.StartNs;
            depth[r] = span.Depth;
            status[r] = AnswerWords.Of(span.Status);
            functionIds[r] = names.Ids[o];
            ends[r] = span.EndNs;
            startSeqs[r] = trace.GetEventRef(span.StartEvent).Seq;
            endSeqs[r] = span.EndEvent >= 0 ? trace.GetEventRef(span.EndEvent).Seq : null;
            raised[r] = span.RaisedException;
        }
        await Text(group, fields[0], Repeat(traceName, count)).ConfigureAwait(false);
        await Numbers(group, fields[1], ids, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<long>(fields[2], parents.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await Numbers(group, fields[3], threads, cancellationToken).ConfigureAwait(false);
        await Text(group, fields[4], function).ConfigureAwait(false);
        await Text(group, fields[5], module).ConfigureAwait(false);
        await Numbers(group, fields[6], starts, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<long>(fields[7], durations.AsMemory(from, count), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<long>(fields[8], selfTimes.AsMemory(from, count), cancellationToken: cancellationToken).ConfigureAwait(false);
        await Numbers(group, fields[9], depth, cancellationToken).ConfigureAwait(false);
        await Text(group, fields[10], status).ConfigureAwait(false);
        await Text(group, fields[11], functionIds).ConfigureAwait(false);
        await Numbers(group, fields[12], ends, cancellationToken).ConfigureAwait(false);
        await Numbers(group, fields[13], startSeqs, cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<long>(fields[14], endSeqs.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<bool>(fields[15], raised.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public static async Task WriteFunctionsAsync(ParquetRowGroupWriter group, IReadOnlyList<FunctionStats> functions, string traceName, int from, int count, CancellationToken cancellationToken)
    {
        var fields = TraceLakeSchema.FunctionsSchema.DataFields;
        var rows = new FunctionStats[count];
        for (int r = 0; r < count; r++)
            rows[r] = functions[from + r];
        await Text(group, fields[0], Repeat(traceName, count)).ConfigureAwait(false);
        await Text(group, fields[1], [.. rows.Select(f => f.Name)]).ConfigureAwait(false);
        await Text(group, fields[2], [.. rows.Select(f => f.Module)]).ConfigureAwait(false);
        await Numbers(group, fields[3], [.. rows.Select(f => f.Count)], cancellationToken).ConfigureAwait(false);
        await Numbers(group, fields[4], [.. rows.Select(f => f.TotalNs)], cancellationToken).ConfigureAwait(false);
        await Numbers(group, fields[5], [.. rows.Select(f => f.SelfTotalNs)], cancellationToken).ConfigureAwait(false);
        await Numbers(group, fields[6], [.. rows.Select(f => f.MinNs)], cancellationToken).ConfigureAwait(false);
        await Numbers(group, fields[7], [.. rows.Select(f => f.MaxNs)], cancellationToken).ConfigureAwait(false);
        await Reals(group, fields[8], [.. rows.Select(f => f.P50Ns)], cancellationToken).ConfigureAwait(false);
        await Reals(group, fields[9], [.. rows.Select(f => f.P95Ns)], cancellationToken).ConfigureAwait(false);
        await Reals(group, fields[10], [.. rows.Select(f => f.P99Ns)], cancellationToken).ConfigureAwait(false);
        await Text(group, fields[11], [.. rows.Select(f => FunctionNames.IdText(f.FunctionId))]).ConfigureAwait(false);
        await Reals(group, fields[12], [.. rows.Select(f => f.MeanNs)], cancellationToken).ConfigureAwait(false);
        await Numbers(group, fields[13], [.. rows.Select(f => f.Incomplete)], cancellationToken).ConfigureAwait(false);
    }

    public static async Task WriteFindingsAsync(ParquetRowGroupWriter group, ExecutionTrace trace, IReadOnlyList<Finding> findings, string traceName, int from, int count, CancellationToken cancellationToken)
    {
        var fields = TraceLakeSchema.FindingsSchema.DataFields;
        var rows = new Finding[count];
        for (int r = 0; r < count; r++)
            rows[r] = findings[from + r];
        await Text(group, fields[0], Repeat(traceName, count)).ConfigureAwait(false);
        await group.WriteAsync<int>(fields[1], Enumerable.Range(from + 1, count).ToArray().AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
        await Text(group, fields[2], [.. rows.Select(f => AnswerWords.Of(f.Severity))]).ConfigureAwait(false);
        await Text(group, fields[3], [.. rows.Select(f => AnswerWords.Of(f.Kind))]).ConfigureAwait(false);
        await Text(group, fields[4], [.. rows.Select(f => f.FunctionId is { } id ? trace.Symbols.GetName(id) : null)]).ConfigureAwait(false);
        await Text(group, fields[5], [.. rows.Select(f => f.Title)]).ConfigureAwait(false);
        await Text(group, fields[6], [.. rows.Select(f => string.Join(' ', f.Evidence))]).ConfigureAwait(false);
        await Text(group, fields[7], [.. rows.Select(f => f.FunctionId is { } id ? FunctionNames.IdText(id) : null)]).ConfigureAwait(false);
        await Text(group, fields[8], [.. rows.Select(f => f.Rationale)]).ConfigureAwait(false);
        await Reals(group, fields[9], [.. rows.Select(f => f.Score)], cancellationToken).ConfigureAwait(false);
    }

    private static string[] Repeat(string value, int count)
    {
        var values = new string[count];
        Array.Fill(values, value);
        return values;
    }

    private static Task Text(ParquetRowGroupWriter group, DataField field, string?[] values) => group.WriteAsync(field, values!);

    private static Task Numbers(ParquetRowGroupWriter group, DataField field, long[] values, CancellationToken cancellationToken) =>
        group.WriteAsync<long>(field, values.AsMemory(), cancellationToken: cancellationToken);

    private static Task Reals(ParquetRowGroupWriter group, DataField field, double[] values, CancellationToken cancellationToken) =>
        group.WriteAsync<double>(field, values.AsMemory(), cancellationToken: cancellationToken);
}
