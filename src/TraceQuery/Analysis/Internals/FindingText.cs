using System.Globalization;
using TraceQuery.Model;
using TraceQuery.Text;

namespace TraceQuery.Analysis.Internals;

internal static class FindingText
{
    public static string Name(ExecutionTrace trace, ulong functionId) => trace.Symbols.GetName(functionId);

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    public static string Duration(double nanoseconds) => Duration((long)Math.Round(nanoseconds));

    public static string Duration(long nanoseconds) => TextFormat.Duration(nanoseconds);
}
