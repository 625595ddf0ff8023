using System.Globalization;

namespace TraceQuery.Text;

/// <summary>Number formatting for text read by people and models: invariant culture, units chosen for reading.</summary>
public static class TextFormat
{
    /// <summary>A count with thousands separators (<c>12,345</c>).</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A duration in the largest unit that keeps it above 1: <c>850 ns</c>, <c>1.2 µs</c>, <c>40 ms</c>, <c>3.01 s</c>.</summary>
    public static string Duration(long nanoseconds)
    {
        if (nanoseconds < 0)
            return "-" + Duration(nanoseconds == long.MinValue ? long.MaxValue : -nanoseconds);
        if (nanoseconds < 1_000)
            return nanoseconds.ToString(CultureInfo.InvariantCulture) + " ns";
        (long unit, string name) = nanoseconds switch
        {
            < 999_500 => (1_000L, " µs"),
            < 999_500_000 => (1_000_000L, " ms"),
            _ => (1_000_000_000L, " s"),
        };
        return Scaled(nanoseconds, unit) + name;
    }

    /// <summary>Longest message text shown in one line (<see cref="Message(string)"/>); the rest is cut with an ellipsis.</summary>
    public const int MaxMessageLength = 200;

    /// <summary>
    /// An event's message (exception text, log body) as one quoted line: control characters and line breaks
    /// become spaces, runs of spaces one space, and text past <see cref="MaxMessageLength"/> characters is cut with <c>…</c>.
    /// </summary>
    public static string Message(string message) => Message(message, MaxMessageLength);

    /// <summary>As <see cref="Message(string)"/>, cut past <paramref name="maxLength"/> characters (attribute values in event lines).</summary>
    public static string Message(string message, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = new System.Text.StringBuilder(Math.Min(message.Length, maxLength) + 3).Append('"');
        bool space = false;
        int written = 0;
        foreach (char c in message)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = written > 0;
                continue;
            }
            if (written >= maxLength)
            {
                text.Append('…');
                break;
            }
            if (space)
            {
                text.Append(' ');
                written++;
                space = false;
            }
            text.Append(c);
            written++;
        }
        return text.Append('"').ToString();
    }

    private static string Scaled(long value, long unit)
    {
        // Three significant digits, computed in integers so the text is identical on every machine.
        long whole = value / unit;
        int decimals = whole >= 100 ? 0 : whole >= 10 ? 1 : 2;
        long scale = decimals == 0 ? 1 : decimals == 1 ? 10 : 100;
        var rounded = (((Int128)value * scale) + (unit / 2)) / unit;
        string digits = rounded.ToString(CultureInfo.InvariantCulture).PadLeft(decimals + 1, '0');
        return decimals == 0 ? digits : digits[..^decimals] + "." + digits[^decimals..];
    }
}
