using System.Collections;
using System.Globalization;

namespace TraceQuery.Model;

/// <summary>
/// The attributes of one span or span event (Chrome <c>args</c>, OTLP attributes), in the order the producer
/// wrote them, nested objects flattened to dotted keys (<c>data.url</c>). Bounded: at most
/// <see cref="TraceBuilder.MaxAttributesPerSpan"/> entries (the rest counted in <see cref="DroppedCount"/>), and a
/// value longer than <see cref="TraceBuilder.MaxAttributeValueLength"/> characters is cut there and ends with
/// <see cref="ClipMarker"/> and its full length, e.g. <c>…[clipped, 10000 chars]</c>.
/// </summary>
public sealed class EventAttributes : IReadOnlyList<KeyValuePair<string, string>>
{
    /// <summary>The text that starts the suffix of a clipped value: <c>…[clipped, N chars]</c>.</summary>
    public const string ClipMarker = "…[clipped, ";

    private readonly KeyValuePair<string, string>[] _items;

    /// <summary>No attributes.</summary>
    public static EventAttributes Empty { get; } = new([], 0);

    internal EventAttributes(KeyValuePair<string, string>[] items, int droppedCount)
    {
        _items = items;
        DroppedCount = droppedCount;
    }

    /// <summary>Attributes beyond the per-span bound that were not kept.</summary>
    public int DroppedCount { get; }

    /// <inheritdoc/>
    public int Count => _items.Length;

    /// <inheritdoc/>
    public KeyValuePair<string, string> this[int index] => _items[index];

    /// <summary>The value of the first attribute named <paramref name="key"/> (ordinal), or null.</summary>
    public string? Find(string key)
    {
        foreach (var item in _items)
            if (string.Equals(item.Key, key, StringComparison.Ordinal))
                return item.Value;
        return null;
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <summary>True when both lists hold the same keys and values in the same order (ordinal comparison).</summary>
    internal static bool SameItems(IReadOnlyList<KeyValuePair<string, string>> items, IReadOnlyList<KeyValuePair<string, string>> other)
    {
        if (items.Count != other.Count)
            return false;
        for (int i = 0; i < items.Count; i++)
        {
            if (!string.Equals(items[i].Key, other[i].Key, StringComparison.Ordinal) || !string.Equals(items[i].Value, other[i].Value, StringComparison.Ordinal))
                return false;
        }
        return true;
    }

    /// <summary>
    /// Bounds <paramref name="source"/>: keeps the first <paramref name="maxCount"/> entries and clips keys and values
    /// longer than <paramref name="maxLength"/>, adding what it did to the two counters.
    /// </summary>
    internal static EventAttributes Bound(IReadOnlyList<KeyValuePair<string, string>> source, int maxCount, int maxLength,
        ref long clippedValues, ref long droppedAttributes)
    {
        int count = Math.Min(source.Count, maxCount);
        var items = new KeyValuePair<string, string>[count];
        for (int i = 0; i < count; i++)
        {
            var (key, value) = source[i];
            key ??= "";
            value ??= "";
            if (key.Length > maxLength)
            {
                if (!IsClipped(key, maxLength))
                    key = Clip(key, maxLength);
                clippedValues++;
            }
            if (value.Length > maxLength)
            {
                if (!IsClipped(value, maxLength))
                    value = Clip(value, maxLength);
                clippedValues++;
            }
            items[i] = new(key, value);
        }
        int dropped = source.Count - count;
        droppedAttributes += dropped;
        return new EventAttributes(items, dropped);
    }

    /// <summary>
    /// True when <paramref name="text"/> was already clipped to at most <paramref name="maxLength"/> characters by a reader
    /// (<see cref="Clip(ReadOnlySpan{char}, int, int)"/>), so the builder keeps it as it is.
    /// </summary>
    private static bool IsClipped(string text, int maxLength)
    {
        int at = text.IndexOf(ClipMarker, StringComparison.Ordinal);
        return at >= 0 && at <= maxLength && text.EndsWith(" chars]", StringComparison.Ordinal);
    }

    /// <summary>
    /// A clipped value built by a reader that never materialised the whole text: at most <paramref name="maxLength"/>
    /// characters of <paramref name="prefix"/>, then the clip suffix with <paramref name="totalLength"/>.
    /// </summary>
    internal static string Clip(ReadOnlySpan<char> prefix, int totalLength, int maxLength)
    {
        int cut = Math.Min(prefix.Length, maxLength);
        if (cut > 0 && char.IsHighSurrogate(prefix[cut - 1]))
            cut--;
        return string.Concat(prefix[..cut], ClipMarker, totalLength.ToString(CultureInfo.InvariantCulture), " chars]");
    }

    /// <summary>The first <paramref name="maxLength"/> characters of <paramref name="text"/> (never splitting a surrogate pair) and the clip suffix.</summary>
    internal static string Clip(string text, int maxLength) => Clip(text.AsSpan(), text.Length, maxLength);
}
