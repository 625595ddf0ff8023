namespace TraceQuery.Formats.Chrome;

/// <summary>Names of the Chrome Trace Event phases, for warnings that list what was skipped.</summary>
internal static class ChromePhases
{
    /// <summary>How a skipped record kind is named in <see cref="Model.TraceMetadata.SkippedRecords"/>: <c>Chrome phase 'O' (object snapshot)</c>.</summary>
    public static string Describe(string phase) => "Chrome phase '" + phase + "'" + phase switch
    {
        "C" => " (counter, summarised in counters)",
        "P" => " (CPU profile samples, counted)",
        "O" => " (object snapshot)",
        "N" => " (object created)",
        "D" => " (object destroyed)",
        "R" => " (mark)",
        "V" or "v" => " (memory dump)",
        "c" => " (clock sync)",
        "(" or ")" => " (context)",
        "n" => " (async instant outside an open async span)",
        "T" or "p" => " (async step outside an open async span)",
        _ => "",
    };

    /// <summary>How a skipped metadata record is named: <c>Chrome metadata 'process_sort_index'</c>.</summary>
    public static string DescribeMetadata(string name) => "Chrome metadata '" + name + "'";
}
