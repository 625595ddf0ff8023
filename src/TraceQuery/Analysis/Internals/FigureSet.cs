using System.Globalization;
using TraceQuery.Model;
using TraceQuery.Text;

namespace TraceQuery.Analysis.Internals;

/// <summary>A figure added to a <see cref="FigureSet"/>: its index (an operand of later figures) and its printed text.</summary>
internal readonly record struct Figure(int Index, double Value, string Text)
{
    public override string ToString() => Text;
}

/// <summary>
/// The figures of one finding as the detector computes them: each call records the figure (what it is and how it was
/// obtained) and returns it for the text, so that every number printed is one of <see cref="Figures"/>.
/// </summary>
internal sealed class FigureSet
{
    private readonly List<FindingFigure> _figures = [];

    public IReadOnlyList<FindingFigure> Figures => _figures;

    /// <summary>The printed form of a value of <paramref name="measure"/>.</summary>
    public static string Render(FigureMeasure measure, double value) => measure switch
    {
        FigureMeasure.Count or FigureMeasure.Depth or FigureMeasure.Bytes => TraceText.Count((long)Math.Round(value)),
        FigureMeasure.Ratio => value.ToString(value < 10 ? "0.#" : "0", CultureInfo.InvariantCulture) + "×",
        FigureMeasure.Share => (value * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%",
        _ => TraceText.Duration(value),
    };

    public Figure Add(string name, FigureMeasure measure, FigureBasis basis, double value, EvidenceRef? subject = null,
        double argument = 0, Figure? left = null, Figure? right = null, bool printed = true, IReadOnlyList<string>? frames = null)
    {
        string text = Render(measure, value);
        _figures.Add(new FindingFigure(name, measure, basis, value, text)
        {
            Subject = subject,
            Argument = argument,
            Left = left?.Index ?? -1,
            Right = right?.Index ?? -1,
            Printed = printed,
            Frames = frames ?? [],
        });
        return new Figure(_figures.Count - 1, value, text);
    }

    /// <summary>An analyzer option.</summary>
    public Figure Setting(string name, FigureMeasure measure, double value, bool printed = true) =>
        Add(name, measure, FigureBasis.Setting, value, printed: printed);

    /// <summary>A count over the calls of a function (or all functions).</summary>
    public Figure Calls(string name, ulong? function, long value, bool printed = true) =>
        Add(name, FigureMeasure.Count, FigureBasis.Calls, value, Fn(function), printed: printed);

    public Figure Total(string name, FigureMeasure measure, ulong? function, long value, bool printed = true) =>
        Add(name, measure, FigureBasis.Total, value, Fn(function), printed: printed);

    public Figure Percentile(string name, FigureMeasure measure, ulong function, double fraction, double value, bool printed = true) =>
        Add(name, measure, FigureBasis.Percentile, value, EvidenceRef.ForFunction(function), fraction, printed: printed);

    public Figure Span(string name, FigureMeasure measure, int span, long value, bool printed = true) =>
        Add(name, measure, measure == FigureMeasure.SelfTime ? FigureBasis.SpanSelfTime : FigureBasis.SpanDuration, value, EvidenceRef.ForSpan(span), printed: printed);

    /// <summary>The trace's length (last − first timestamp).</summary>
    public Figure TraceLength(long value, bool printed = true) =>
        Add("trace length", FigureMeasure.Duration, FigureBasis.SpanDuration, value, printed: printed);

    /// <summary>Left ÷ right as a ratio or share; null when the base is zero (no ratio over a 0 ns base).</summary>
    public Figure? Quotient(string name, FigureMeasure measure, Figure left, Figure right, bool printed = true) =>
        right.Value == 0 ? null : Add(name, measure, FigureBasis.Quotient, left.Value / right.Value, left: left, right: right, printed: printed);

    public Figure Combine(string name, FigureMeasure measure, FigureBasis basis, Figure left, Figure right, bool printed = true)
    {
        double value = basis switch
        {
            FigureBasis.Product => left.Value * right.Value,
            FigureBasis.Sum => left.Value + right.Value,
            FigureBasis.Difference => left.Value - right.Value,
            FigureBasis.Larger => Math.Max(left.Value, right.Value),
            _ => throw new ArgumentOutOfRangeException(nameof(basis)),
        };
        return Add(name, measure, basis, value, left: left, right: right, printed: printed);
    }

    /// <summary>A figure over one event of the trace (its time, depth, or the thread it ends).</summary>
    public Figure Event(string name, FigureMeasure measure, FigureBasis basis, double value, EventRef at, bool printed = true) =>
        Add(name, measure, basis, value, EvidenceRef.ForEvent(at), printed: printed);

    /// <summary>A figure over stack samples: the whole trace's, or (with <paramref name="span"/>) those on its thread while it ran.</summary>
    public Figure Sampled(string name, FigureMeasure measure, FigureBasis basis, long value, int? span = null, IReadOnlyList<string>? frames = null, bool printed = true) =>
        Add(name, measure, basis, value, span is { } s ? EvidenceRef.ForSpan(s) : null, printed: printed, frames: frames);

    private static EvidenceRef? Fn(ulong? function) => function is { } f ? EvidenceRef.ForFunction(f) : null;
}
