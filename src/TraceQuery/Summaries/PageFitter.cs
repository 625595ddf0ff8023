using System.IO.Hashing;
using System.Text;
using TraceQuery.Model;
using TraceQuery.Summaries.Internals;
using TraceQuery.Text;

namespace TraceQuery.Summaries;

/// <summary>Fits an answer's lines into one page of a token budget, continuing from a cursor of the same trace and query.</summary>
internal static class PageFitter
{
    /// <summary>
    /// Fits <paramref name="lines"/> into <paramref name="tokenBudget"/> tokens, replaying the pages <paramref name="cursorText"/>
    /// already served. The cursor must come from the same trace, query and model.
    /// </summary>
    /// <exception cref="QueryArgumentException">The cursor is malformed or belongs to another trace or query.</exception>
    /// <exception cref="TokenBudgetException">The budget is below the headline and truncation notice.</exception>
    public static FittedPage Fit(ExecutionTrace trace, ITokenCounter counter, AnswerLines lines, int tokenBudget, string? cursorText, CancellationToken cancellationToken)
    {
        var fitter = new BudgetFitter(counter, lines.Headline, lines.Items, lines.Totals);
        ulong fingerprint = Fingerprint(trace, lines.Query, counter.Model);
        var previous = cursorText is null ? [] : QueryCursor.Decode(cursorText, fingerprint).PageBudgets;
        var emitted = new HashSet<int>();
        for (int served = 0; served < previous.Count; served++)
        {
            // Replay the pages already served, exactly as they were fitted (same budget, same cursor text).
            cancellationToken.ThrowIfCancellationRequested();
            var replay = fitter.Fit(previous[served], emitted, new QueryCursor(fingerprint, [.. previous.Take(served + 1)]).Encode());
            emitted.UnionWith(replay.Selected);
        }

        string nextCursor = new QueryCursor(fingerprint, [.. previous, tokenBudget]).Encode();
        int minimum = fitter.HeadlineTokens + fitter.FooterReserve(nextCursor);
        if (tokenBudget < minimum)
        {
            throw new TokenBudgetException(tokenBudget, minimum,
                $"A budget of {tokenBudget} tokens is below the minimum of {minimum} for this trace and query: the headline and the truncation notice alone need that many ({counter.Model} tokens). Ask for at least {minimum}.");
        }
        var page = fitter.Fit(tokenBudget, emitted, nextCursor);
        return new FittedPage(page.Text, page.TokenCount, page.Truncated, page.Truncated ? nextCursor : null);
    }

    private static ulong Fingerprint(ExecutionTrace trace, string query, string model)
    {
        var hash = new XxHash64();
        var text = new StringBuilder()
            .Append(trace.EventCount).Append('|').Append(trace.Threads.Count).Append('|')
            .Append(trace.TimeStartNs).Append('|').Append(trace.TimeEndNs).Append('|')
            .Append(trace.FunctionIds.Length).Append('|').Append(query).Append('|').Append(model.ToLowerInvariant());
        hash.Append(Encoding.UTF8.GetBytes(text.ToString()));
        if (trace.EventCount > 0)
        {
            hash.Append(System.Runtime.InteropServices.MemoryMarshal.AsBytes(trace.Timestamps[..Math.Min(64, trace.EventCount)]));
            hash.Append(System.Runtime.InteropServices.MemoryMarshal.AsBytes(trace.Timestamps[^Math.Min(64, trace.EventCount)..]));
        }
        return hash.GetCurrentHashAsUInt64();
    }
}
