using System.Globalization;
using TraceQuery.Model;
using TraceQuery.Text;

namespace TraceQuery.Analysis.Internals;

/// <summary>The wording helpers of the finding detectors; counts and durations come from the one renderer, <see cref="TraceText"/>.</summary>
internal static class FindingText
{
    public static string Name(ExecutionTrace trace, ulong functionId) => trace.Symbols.GetName(functionId);

    public static string Count(long value) => TraceText.Count(value);

    public static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    public static string Duration(double nanoseconds) => TraceText.Duration(nanoseconds);

    public static string Duration(long nanoseconds) => TraceText.Duration(nanoseconds);
}
