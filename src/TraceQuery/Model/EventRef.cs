using System.Globalization;

namespace TraceQuery.Model;

/// <summary>
/// A stable reference to one event: its thread id and its sequence number in that thread's index
/// (position in the file). Renders as <c>event:&lt;thread&gt;:&lt;seq&gt;</c>.
/// </summary>
/// <param name="ThreadId">Thread id (ATF slot).</param>
/// <param name="Seq">Sequence number within the thread.</param>
public readonly record struct EventRef(uint ThreadId, uint Seq)
{
    /// <summary>The textual form, <c>event:&lt;thread&gt;:&lt;seq&gt;</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"event:{ThreadId}:{Seq}");

    /// <summary>Parses <c>event:&lt;thread&gt;:&lt;seq&gt;</c>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out EventRef value)
    {
        value = default;
        if (!text.StartsWith("event:", StringComparison.Ordinal))
            return false;
        text = text[6..];
        int colon = text.IndexOf(':');
        if (colon < 0)
            return false;
        if (!uint.TryParse(text[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out uint thread)
            || !uint.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out uint seq))
            return false;
        value = new EventRef(thread, seq);
        return true;
    }
}
