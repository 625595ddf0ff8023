using System.Text.Json;

namespace TraceQuery.Benchmarks;

/// <summary>
/// Plain classes for the baseline: what a host would write to read these files with
/// <see cref="JsonSerializer"/> (reflection-free source generation is not used, as a typical host would not).
/// </summary>
#pragma warning disable CA1002, CA1819, CA2227, IDE1006 // plain DTOs shaped like the JSON, as a host would write them
public static class StjBaseline
{
    /// <summary>Chrome object form.</summary>
    public sealed class ChromeFile
    {
        /// <summary>Events.</summary>
        public List<ChromeEvent>? traceEvents { get; set; }

        /// <summary>Display unit.</summary>
        public string? displayTimeUnit { get; set; }
    }

    /// <summary>One Chrome trace event.</summary>
    public sealed class ChromeEvent
    {
        /// <summary>Name.</summary>
        public string? name { get; set; }

        /// <summary>Category.</summary>
        public string? cat { get; set; }

        /// <summary>Phase.</summary>
        public string? ph { get; set; }

        /// <summary>Timestamp, µs.</summary>
        public double ts { get; set; }

        /// <summary>Duration, µs.</summary>
        public double? dur { get; set; }

        /// <summary>Process.</summary>
        public long pid { get; set; }

        /// <summary>Thread.</summary>
        public long tid { get; set; }

        /// <summary>Instant scope.</summary>
        public string? s { get; set; }

        /// <summary>Arguments.</summary>
        public Dictionary<string, JsonElement>? args { get; set; }
    }

    /// <summary>OTLP request.</summary>
    public sealed class OtlpRequest
    {
        /// <summary>Resources.</summary>
        public List<ResourceSpans>? resourceSpans { get; set; }
    }

    /// <summary>Spans of one resource.</summary>
    public sealed class ResourceSpans
    {
        /// <summary>Resource.</summary>
        public Resource? resource { get; set; }

        /// <summary>Scopes.</summary>
        public List<ScopeSpans>? scopeSpans { get; set; }
    }

    /// <summary>Resource.</summary>
    public sealed class Resource
    {
        /// <summary>Attributes.</summary>
        public List<KeyValue>? attributes { get; set; }
    }

    /// <summary>Spans of one scope.</summary>
    public sealed class ScopeSpans
    {
        /// <summary>Scope.</summary>
        public Scope? scope { get; set; }

        /// <summary>Spans.</summary>
        public List<Span>? spans { get; set; }
    }

    /// <summary>Scope.</summary>
    public sealed class Scope
    {
        /// <summary>Name.</summary>
        public string? name { get; set; }
    }

    /// <summary>Span.</summary>
    public sealed class Span
    {
        /// <summary>ExecutionTrace id.</summary>
        public string? traceId { get; set; }

        /// <summary>Span id.</summary>
        public string? spanId { get; set; }

        /// <summary>Parent.</summary>
        public string? parentSpanId { get; set; }

        /// <summary>Name.</summary>
        public string? name { get; set; }

        /// <summary>Kind.</summary>
        public int kind { get; set; }

        /// <summary>Start.</summary>
        public string? startTimeUnixNano { get; set; }

        /// <summary>End.</summary>
        public string? endTimeUnixNano { get; set; }

        /// <summary>Attributes.</summary>
        public List<KeyValue>? attributes { get; set; }

        /// <summary>Events.</summary>
        public List<SpanEvent>? events { get; set; }

        /// <summary>Status.</summary>
        public Status? status { get; set; }
    }

    /// <summary>Span event.</summary>
    public sealed class SpanEvent
    {
        /// <summary>Time.</summary>
        public string? timeUnixNano { get; set; }

        /// <summary>Name.</summary>
        public string? name { get; set; }

        /// <summary>Attributes.</summary>
        public List<KeyValue>? attributes { get; set; }
    }

    /// <summary>Status.</summary>
    public sealed class Status
    {
        /// <summary>Code.</summary>
        public int code { get; set; }

        /// <summary>Message.</summary>
        public string? message { get; set; }
    }

    /// <summary>Attribute.</summary>
    public sealed class KeyValue
    {
        /// <summary>Key.</summary>
        public string? key { get; set; }

        /// <summary>Value.</summary>
        public AnyValue? value { get; set; }
    }

    /// <summary>Attribute value.</summary>
    public sealed class AnyValue
    {
        /// <summary>String.</summary>
        public string? stringValue { get; set; }

        /// <summary>Integer (a string in protobuf JSON).</summary>
        public string? intValue { get; set; }
    }
}
#pragma warning restore CA1002, CA1819, CA2227, IDE1006
