using System.Text.RegularExpressions;

namespace TraceQuery.Mcp.Internals;

/// <summary>A parsed <c>trace://</c> URI: which form, the trace's name (percent-decoded, '/' between its parts) and the evidence reference it names.</summary>
/// <param name="Kind">Event, span or the whole trace.</param>
/// <param name="Trace">The trace name as the tools take it, e.g. "runs/crash1".</param>
/// <param name="Reference">The reference for <c>get_events</c> (<c>event:1:601</c>, <c>span:3</c>), or null for the whole trace.</param>
internal sealed partial record TraceUri(TraceResourceKind Kind, string Trace, string? Reference)
{
    /// <summary>The URI scheme with its separator.</summary>
    public const string Scheme = "trace://";

    /// <summary>Reads <paramref name="uri"/>, or null when it is not a <c>trace://</c> URI with a name.</summary>
    public static TraceUri? Parse(string uri)
    {
        if (!uri.StartsWith(Scheme, StringComparison.Ordinal) || uri.Length == Scheme.Length)
            return null;
        if (EventForm().Match(uri) is { Success: true } e)
            return new TraceUri(TraceResourceKind.Event, Decode(e.Groups["trace"].Value), $"event:{e.Groups["thread"].Value}:{e.Groups["seq"].Value}");
        if (SpanForm().Match(uri) is { Success: true } s)
            return new TraceUri(TraceResourceKind.Span, Decode(s.Groups["trace"].Value), $"span:{s.Groups["id"].Value}");
        return new TraceUri(TraceResourceKind.Trace, Decode(uri[Scheme.Length..].TrimEnd('/')), null);
    }

    /// <summary>The URI of the trace named <paramref name="trace"/>: each '/'-separated part percent-encoded.</summary>
    public static string For(string trace) => Scheme + string.Join('/', trace.Split('/').Select(Uri.EscapeDataString));

    private static string Decode(string path) => string.Join('/', path.Split('/').Select(Uri.UnescapeDataString));

    [GeneratedRegex(@"^trace://(?<trace>.+)/event/(?<thread>\d{1,10})/(?<seq>\d{1,10})$")]
    private static partial Regex EventForm();

    [GeneratedRegex(@"^trace://(?<trace>.+)/span/(?<id>\d{1,19})$")]
    private static partial Regex SpanForm();
}
