using System.Globalization;
using TraceQuery.Model;

namespace TraceQuery.Analysis;

/// <summary>What an <see cref="EvidenceRef"/> points at.</summary>
public enum EvidenceKind
{
    /// <summary>One event: <c>event:&lt;thread&gt;:&lt;seq&gt;</c>.</summary>
    Event,

    /// <summary>One call span: <c>span:&lt;id&gt;</c>.</summary>
    Span,

    /// <summary>A function: <c>fn:0x&lt;16 hex digits&gt;</c>.</summary>
    Function,

    /// <summary>One stack sample: <c>sample:&lt;index&gt;</c>, its index in <see cref="ExecutionTrace.Samples"/> (time order).</summary>
    Sample,

    /// <summary>One distinct sampled stack: <c>stack:&lt;id&gt;</c>, its index in the stack table of <see cref="ExecutionTrace.Samples"/>.</summary>
    Stack,
}

/// <summary>
/// A stable reference to evidence in a trace that a follow-up call can resolve: an event, a call span, a function, a
/// stack sample or a distinct sampled stack. Renders as <c>event:3:1990</c>, <c>span:42</c>, <c>fn:0x05e4df9100000003</c>,
/// <c>sample:1207</c> or <c>stack:31</c>.
/// </summary>
public readonly record struct EvidenceRef(EvidenceKind Kind, ulong Value, uint Thread = 0)
{
    /// <summary>A reference to an event.</summary>
    public static EvidenceRef ForEvent(EventRef reference) => new(EvidenceKind.Event, reference.Seq, reference.ThreadId);

    /// <summary>A reference to a call span.</summary>
    public static EvidenceRef ForSpan(int spanId) => new(EvidenceKind.Span, (ulong)spanId);

    /// <summary>A reference to a function.</summary>
    public static EvidenceRef ForFunction(ulong functionId) => new(EvidenceKind.Function, functionId);

    /// <summary>A reference to a stack sample (its index in <see cref="ExecutionTrace.Samples"/>).</summary>
    public static EvidenceRef ForSample(int sample) => new(EvidenceKind.Sample, (ulong)sample);

    /// <summary>A reference to a distinct sampled stack (its index in the stack table of <see cref="ExecutionTrace.Samples"/>).</summary>
    public static EvidenceRef ForStack(int stack) => new(EvidenceKind.Stack, (ulong)stack);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        EvidenceKind.Event => string.Create(CultureInfo.InvariantCulture, $"event:{Thread}:{Value}"),
        EvidenceKind.Span => string.Create(CultureInfo.InvariantCulture, $"span:{Value}"),
        EvidenceKind.Sample => string.Create(CultureInfo.InvariantCulture, $"sample:{Value}"),
        EvidenceKind.Stack => string.Create(CultureInfo.InvariantCulture, $"stack:{Value}"),
        _ => "fn:0x" + Value.ToString("x16", CultureInfo.InvariantCulture),
    };

    /// <summary>Parses the textual forms above (a string converts implicitly); no allocation.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out EvidenceRef value)
    {
        value = default;
        if (EventRef.TryParse(text, out var e))
        {
            value = ForEvent(e);
            return true;
        }
        if (text.StartsWith("span:", StringComparison.Ordinal)
            && int.TryParse(text[5..], NumberStyles.None, CultureInfo.InvariantCulture, out int span))
        {
            value = ForSpan(span);
            return true;
        }
        if (text.StartsWith("sample:", StringComparison.Ordinal)
            && int.TryParse(text[7..], NumberStyles.None, CultureInfo.InvariantCulture, out int sample))
        {
            value = ForSample(sample);
            return true;
        }
        if (text.StartsWith("stack:", StringComparison.Ordinal)
            && int.TryParse(text[6..], NumberStyles.None, CultureInfo.InvariantCulture, out int stack))
        {
            value = ForStack(stack);
            return true;
        }
        if (text.StartsWith("fn:0x", StringComparison.OrdinalIgnoreCase)
            && ulong.TryParse(text[5..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong fn))
        {
            value = ForFunction(fn);
            return true;
        }
        return false;
    }
}
