namespace TraceQuery.Summaries;

/// <summary>What a summary line is about; used to count what a page left out.</summary>
internal enum SummaryItemKind
{
    /// <summary>A finding (crash, hang, leak, …) with its evidence references.</summary>
    Finding,
    /// <summary>A per-function statistics line (folded repeats).</summary>
    Function,
    /// <summary>A slice of the timeline sketch.</summary>
    Timeline,
    /// <summary>One matching event.</summary>
    Event,
}

/// <summary>One candidate line of a summary, in the order of its value to the reader.</summary>
/// <param name="Kind">What it is about.</param>
/// <param name="Text">The line, without a trailing newline.</param>
/// <param name="Section">The section heading it belongs under (printed once before the first line of the section on a page).</param>
internal sealed record SummaryItem(SummaryItemKind Kind, string Text, string Section)
{
    /// <summary>
    /// Where the line is printed among the lines of its page: ascending, ties in rank order. Default 0, so lines
    /// print in rank order; a scoped search ranks lines by closeness to its anchor but prints them in time order.
    /// </summary>
    public long Position { get; init; }
}
