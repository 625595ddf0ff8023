using TraceQuery.Model;

namespace TraceQuery.Formats.Chrome;

/// <summary>
/// What real producers of Chrome Trace Event JSON mean by what they write, as data in one place: how to recognise the
/// producer, which span names are aggregates, envelopes or pseudo-frames, which lanes are devices. The reader looks
/// things up here and marks spans (<see cref="SpanMarks"/>) and lanes (<see cref="SpanTrack"/>); it never tests a
/// producer's name itself. Add a producer by adding rows.
/// </summary>
internal static class ProducerConventions
{
    /// <summary>Where a producer signature is looked for.</summary>
    public enum SignatureSource
    {
        /// <summary>A key of the top-level object beside <c>traceEvents</c>.</summary>
        TopLevelKey,

        /// <summary>The start of a <c>process_name</c>.</summary>
        ProcessNamePrefix,

        /// <summary>A <c>thread_name</c>.</summary>
        ThreadName,

        /// <summary>A span name.</summary>
        SpanNamePrefix,
    }

    /// <summary>A producer recognised by one fact of the file; the first row that matches names the producer.</summary>
    public sealed record Signature(string Producer, SignatureSource Source, string Text);

    /// <summary>How a span name is matched.</summary>
    public enum NameMatch
    {
        /// <summary>The whole name.</summary>
        Exact,

        /// <summary>The start of the name.</summary>
        Prefix,
    }

    /// <summary>A span whose name matches gets <paramref name="Marks"/>; only in files of <paramref name="Producer"/> when it is not null.</summary>
    public sealed record SpanRule(string? Producer, NameMatch Match, string Text, SpanMarks Marks, string Why);

    public const string Clang = "clang -ftime-trace";
    public const string PyTorch = "PyTorch profiler (Kineto)";
    public const string DevTools = "Chrome / DevTools";
    public const string DotnetTrace = "dotnet-trace (Chromium format)";
    public const string Node = "Node.js trace events";

    /// <summary>Producer signatures, most specific first.</summary>
    public static IReadOnlyList<Signature> Signatures { get; } =
    [
        new(Clang, SignatureSource.TopLevelKey, "beginningOfTime"),
        new(Clang, SignatureSource.ProcessNamePrefix, "clang"),
        new(PyTorch, SignatureSource.TopLevelKey, "deviceProperties"),
        new(PyTorch, SignatureSource.SpanNamePrefix, "PyTorch Profiler ("),
        new(DotnetTrace, SignatureSource.TopLevelKey, "stackFrames"),
        new(Node, SignatureSource.ThreadName, "JavaScriptMainThread"),
        new(DevTools, SignatureSource.ThreadName, "CrBrowserMain"),
        new(DevTools, SignatureSource.ThreadName, "CrRendererMain"),
    ];

    /// <summary>Span names that are not plain calls.</summary>
    public static IReadOnlyList<SpanRule> SpanRules { get; } =
    [
        new(Clang, NameMatch.Prefix, "Total ", SpanMarks.Aggregate,
            "clang -ftime-trace writes one 'Total <activity>' row per activity, on its own tid, starting at 0: a sum, not a call"),
        new(Clang, NameMatch.Exact, "ExecuteCompiler", SpanMarks.Envelope, "clang's whole compile"),
        new(null, NameMatch.Prefix, "PyTorch Profiler (", SpanMarks.Envelope, "the PyTorch profiler's root span around the whole recording"),
        new(PyTorch, NameMatch.Prefix, "ProfilerStep#", SpanMarks.Envelope,
            "the PyTorch profiler's annotation around one step (profiler.step()): the step's work is in the ops under it, and time with no op under it is time outside any recorded op, not a call that hung"),
        new(null, NameMatch.Exact, "RunTask", SpanMarks.Envelope, "DevTools task envelope: one task of the thread's message loop"),
        new(null, NameMatch.Exact, "ThreadControllerImpl::RunTask", SpanMarks.Envelope, "Chrome task envelope (message loop)"),
        new(null, NameMatch.Exact, "ThreadControllerImpl::DoWork", SpanMarks.Envelope, "Chrome task envelope (message loop)"),
        new(null, NameMatch.Exact, "MessageLoop::RunTask", SpanMarks.Envelope, "older Chrome task envelope (message loop)"),
        new(null, NameMatch.Exact, "TaskGraphRunner::RunTask", SpanMarks.Envelope, "Chrome raster task envelope"),
        new(DotnetTrace, NameMatch.Exact, "CPU_TIME", SpanMarks.PseudoFrame, "dotnet-trace ends every sampled stack with a pseudo-frame holding the caller's CPU time"),
        new(DotnetTrace, NameMatch.Exact, "UNMANAGED_CODE_TIME", SpanMarks.PseudoFrame, "dotnet-trace pseudo-frame for time in native code called by the frame above"),
    ];

    /// <summary>
    /// The severity of the log lines in a top-level list beside <c>traceEvents</c> (Kineto writes its logger's
    /// <c>ERROR</c> lines there), or null for a key that is no log list. Lines of such a list are log records at that severity.
    /// </summary>
    public static string? TopLevelLogSeverity(string key) => key switch
    {
        "ERROR" or "errors" => "ERROR",
        _ => null,
    };

    /// <summary>
    /// Network request records (DevTools timeline): the record that starts a request names its URL under
    /// <c>data.url</c>, keyed by <c>data.requestId</c>; later records of the request say how it ended.
    /// </summary>
    public const string RequestStartName = "ResourceSendRequest";

    /// <summary>The args key that ties the records of one network request together.</summary>
    public const string RequestIdKey = "data.requestId";

    /// <summary>The args key of a request's URL (on its start record, and on some responses).</summary>
    public const string RequestUrlKey = "data.url";

    /// <summary>
    /// How a network request record says its request failed, or null when it does not: an HTTP status of 400 or more
    /// (<c>data.statusCode</c>, on <c>ResourceReceiveResponse</c>) is <c>HTTP 404 &lt;url&gt;</c>; <c>data.didFail</c> true (on
    /// <c>ResourceFinish</c>: no response at all) is <c>request failed (didFail=true) url=&lt;url&gt;</c>. The reader makes such a
    /// record a span with error status and this text as its message.
    /// </summary>
    public static string? RequestFailure(string key, string value, string url)
    {
        if (key == "data.statusCode" && double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double status) && status >= 400 && status < 1000)
            return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"HTTP {(int)status} {url}").TrimEnd();
        if (key == "data.didFail" && value == "true")
            return "request failed (didFail=true) url=" + url;
        return null;
    }

    /// <summary>Categories of work that runs on a device (Kineto GPU kernels, copies, GPU-side annotations): their lane is a device track.</summary>
    public static bool IsDeviceCategory(string category) => category is "kernel" or "gpu_memcpy" or "gpu_memset" or "gpu_user_annotation";

    /// <summary>A <c>process_labels</c> value that makes every lane of the process a device track (Kineto: <c>GPU 0</c>).</summary>
    public const string DeviceProcessLabelPrefix = "GPU ";

    /// <summary>A <c>thread_name</c> start that makes the lane a device track (Kineto GPU streams: <c>stream 7</c>).</summary>
    public const string DeviceThreadNamePrefix = "stream ";

    /// <summary>The link kind of a flow of <paramref name="category"/>: <c>flow</c>, or <c>flow:ac2g</c> (Kineto: CPU launch → GPU kernel).</summary>
    public static string FlowKind(string? category) => string.IsNullOrEmpty(category) ? "flow" : "flow:" + category;

    /// <summary>The producer of a file, from the facts the reader saw, or null.</summary>
    public static string? Recognise(IReadOnlySet<string> topLevelKeys, IEnumerable<string> processNames, IEnumerable<string> threadNames, Func<string, bool> hasSpanNamePrefix)
    {
        foreach (var signature in Signatures)
        {
            bool hit = signature.Source switch
            {
                SignatureSource.TopLevelKey => topLevelKeys.Contains(signature.Text),
                SignatureSource.ProcessNamePrefix => processNames.Any(n => n.StartsWith(signature.Text, StringComparison.Ordinal)),
                SignatureSource.ThreadName => threadNames.Any(n => n == signature.Text),
                SignatureSource.SpanNamePrefix => hasSpanNamePrefix(signature.Text),
                _ => false,
            };
            if (hit)
                return signature.Producer;
        }
        return null;
    }

    /// <summary>The marks of a span named <paramref name="name"/> in a file of <paramref name="producer"/>.</summary>
    public static SpanMarks MarksOf(string name, string? producer)
    {
        var marks = SpanMarks.None;
        foreach (var rule in SpanRules)
        {
            if (rule.Producer is not null && rule.Producer != producer)
                continue;
            bool hit = rule.Match == NameMatch.Exact
                ? string.Equals(name, rule.Text, StringComparison.Ordinal)
                : name.StartsWith(rule.Text, StringComparison.Ordinal);
            if (hit)
                marks |= rule.Marks;
        }
        return marks;
    }
}
