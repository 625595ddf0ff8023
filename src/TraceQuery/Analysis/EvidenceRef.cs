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
}

/// <summary>
/// A stable reference to evidence in a trace that a follow-up call can resolve: an event, a call span or a
/// function. Renders as <c>event:3:1990</c>, <c>span:42</c> or <c>fn:0x05e4df9100000003</c>.
/// </summary>
public readonly record struct EvidenceRef(EvidenceKind Kind, ulong Value, uint Thread = 0)
{
    /// <summary>A reference to an event.</summary>
    public static EvidenceRef ForEvent(EventRef reference) => new(EvidenceKind.Event, reference.Seq, reference.ThreadId);

    /// <summary>A reference to a call span.</summary>
    public static EvidenceRef ForSpan(int spanId) => new(EvidenceKind.Span, (ulong)spanId);

    /// <summary>A reference to a function.</summary>
    public static EvidenceRef ForFunction(ulong functionId) => new(EvidenceKind.Function, functionId);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        EvidenceKind.Event => string.Create(CultureInfo.InvariantCulture, $"event:{Thread}:{Value}"),
        EvidenceKind.Span => string.Create(CultureInfo.InvariantCulture, $"span:{Value}"),
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
        if (text.StartsWith("fn:0x", StringComparison.OrdinalIgnoreCase)
            && ulong.TryParse(text[5..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong fn))
        {
            value = ForFunction(fn);
            return true;
        }
        return false;
    }
}
