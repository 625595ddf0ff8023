using System.Text;
using TraceQuery.Text;

namespace TraceQuery.Summaries.Internals;

/// <summary>
/// Fits ranked summary lines into a token budget. Each line is priced once (its tokens plus a newline);
/// lines are taken in rank order, skipping any that no longer fit so smaller, later lines can use the
/// room; the final text is counted once, exactly, and trimmed if joining lines merged tokens. When
/// lines remain, a page that would use less than 90% of the budget ends with a cut preview of the next
/// line (marked <see cref="PreviewMarker"/>; the whole line opens the next page), and a footer says what was left out and gives the cursor.
/// </summary>
internal sealed class BudgetFitter(ITokenCounter counter, string headline, IEnumerable<SummaryItem> items, IReadOnlyDictionary<SummaryItemKind, long> totals)
{
    private const int MaxConsecutiveMisses = 256;

    /// <summary>Ends a line that was cut to fill the page; the whole line comes first on the next page.</summary>
    public const string PreviewMarker = " …[cut]";

    /// <summary>Ends a line longer than a whole page: it is shown this far, once.</summary>
    public const string TruncatedMarker = " …[truncated]";
    private readonly List<SummaryItem> _items = [];
    private readonly List<int> _prices = [];
    private readonly Dictionary<string, int> _headingPrices = [];
    private IEnumerator<SummaryItem>? _source = items.GetEnumerator();

    public sealed record Page(string Text, int TokenCount, List<int> Selected, bool Truncated, long Remaining);

    public int HeadlineTokens => counter.CountTokens(headline + "\n");

    /// <summary>Tokens reserved for the footer: its longest form with this cursor.</summary>
    public int FooterReserve(string cursor) =>
        counter.CountTokens("\n" + Footer(99_999_999, 99_999_999, 99_999_999, cursor) + "\n") + 2;

    public Page Fit(int budget, HashSet<int> emitted, string nextCursor)
    {
        int reserve = FooterReserve(nextCursor);
        int available = budget - HeadlineTokens - reserve;
        int remaining = available;
        var selected = new List<int>();
        var sections = new HashSet<string>(StringComparer.Ordinal);
        (int Index, string Text)? oversize = null;
        int misses = 0;
        for (int i = 0; TryGet(i, out var item); i++)
        {
            if (emitted.Contains(i))
                continue;
            int price = Price(i) + (sections.Contains(item.Section) ? 0 : HeadingPrice(item.Section));
            if (price <= remaining)
            {
                selected.Add(i);
                sections.Add(item.Section);
                remaining -= price;
                misses = 0;
            }
            else if (selected.Count == 0)
            {
                // The most valuable line left is larger than a whole page: show as much of it as fits, once.
                int room = remaining - HeadingPrice(item.Section) - counter.CountTokens(TruncatedMarker) - 1;
                oversize = (i, Cut(item.Text, room) + TruncatedMarker);
                selected.Add(i);
                break;
            }
            else if (++misses > MaxConsecutiveMisses)
            {
                break;
            }
        }

        long total = totals.Values.Sum();
        while (true)
        {
            long left = total - emitted.Count - selected.Count;
            bool truncated = left > 0;
            string text = Compose(selected, oversize, truncated ? Footer(emitted, selected, nextCursor) : null, preview: null);
            int tokens = counter.CountTokens(text);
            if (tokens > budget && oversize is { } o)
            {
                if (o.Text == TruncatedMarker)
                {
                    oversize = null;
                    selected.Remove(o.Index);
                    continue;
                }
                oversize = (o.Index, Cut(_items[o.Index].Text, counter.CountTokens(o.Text) - (tokens - budget) - 2 - counter.CountTokens(TruncatedMarker)) + TruncatedMarker);
                continue;
            }
            if (tokens > budget && selected.Count > 0)
            {
                selected.RemoveAt(selected.Count - 1); // joining merged tokens: give back the last line
                continue;
            }
            if (truncated && tokens < budget * 0.9)
            {
                if (oversize is { } cut)
                {
                    // The footer reserve was generous: give the slack to the truncated line.
                    var index = cut.Index;
                    (text, tokens) = Grow(
                        room => Compose(selected, (index, Truncate(_items[index].Text, room)), Footer(emitted, selected, nextCursor), preview: null),
                        counter.CountTokens(cut.Text) - counter.CountTokens(TruncatedMarker) + (budget - tokens) - 1,
                        budget, (text, tokens));
                    if (text.Contains(_items[index].Text + "\n", StringComparison.Ordinal))
                        oversize = (index, _items[index].Text); // it fitted whole after all
                }
                if (tokens < budget * 0.9 && (oversize is null || oversize.Value.Text == _items[oversize.Value.Index].Text))
                    (text, tokens) = AddPreview(selected, oversize, emitted, budget, nextCursor, text, tokens);
            }
            return new Page(text, tokens, selected, truncated, left);
        }
    }

    private string Cut(string text, int maxTokens)
    {
        int cut = counter.GetPrefixLengthWithinTokens(text, Math.Max(0, maxTokens), out _);
        if (cut > 0 && cut < text.Length && char.IsHighSurrogate(text[cut - 1]))
            cut--;
        return text[..cut];
    }

    private string Truncate(string text, int maxTokens)
    {
        string prefix = Cut(text, maxTokens);
        return prefix.Length == text.Length ? text : prefix + TruncatedMarker;
    }

    private (string Text, int Tokens) AddPreview(List<int> selected, (int Index, string Text)? oversize, HashSet<int> emitted, int budget, string cursor, string text, int tokens)
    {
        int next = -1;
        for (int i = 0; TryGet(i, out _); i++)
        {
            if (!emitted.Contains(i) && !selected.Contains(i))
            {
                next = i;
                break;
            }
        }
        if (next < 0)
            return (text, tokens);
        var item = _items[next];
        bool newSection = selected.Count == 0 || _items[selected[^1]].Section != item.Section;
        int room = budget - tokens - counter.CountTokens(PreviewMarker) - (newSection ? HeadingPrice(item.Section) : 0) - 1;
        return Grow(
            r =>
            {
                string prefix = Cut(item.Text, r);
                return prefix.Length == 0 ? null : Compose(selected, oversize, Footer(emitted, selected, cursor), (next, prefix + PreviewMarker));
            },
            room, budget, (text, tokens));
    }

    /// <summary>Finds the largest line budget whose page still fits, in a few exact counts (each adjusts by the overshoot or the slack).</summary>
    private (string Text, int Tokens) Grow(Func<int, string?> compose, int room, int budget, (string Text, int Tokens) fallback)
    {
        var best = fallback;
        for (int attempt = 0; attempt < 8 && room > 0; attempt++)
        {
            string? candidate = compose(room);
            if (candidate is null)
                break;
            int count = counter.CountTokens(candidate);
            if (count <= budget && count > best.Tokens)
                best = (candidate, count);
            if (count > budget)
                room -= count - budget;
            else if (count < budget - 1 && count != fallback.Tokens)
                room += budget - count - 1;
            else
                break;
        }
        return best;
    }

    private string Compose(List<int> selected, (int Index, string Text)? oversize, string? footer, (int Index, string Text)? preview)
    {
        var lines = new List<(int Index, string Text)>(selected.Count + 1);
        foreach (int i in selected)
            lines.Add((i, oversize is { } o && o.Index == i ? o.Text : _items[i].Text));
        if (preview is { } p)
            lines.Add(p);
        lines.Sort((a, b) =>
        {
            int c = _items[a.Index].Position.CompareTo(_items[b.Index].Position);
            return c != 0 ? c : a.Index.CompareTo(b.Index);
        });
        var text = new StringBuilder(headline).Append('\n');
        string? section = null;
        foreach (var (index, line) in lines)
        {
            var item = _items[index];
            if (item.Section != section)
            {
                text.Append(item.Section).Append('\n');
                section = item.Section;
            }
            text.Append(line).Append('\n');
        }
        if (footer is not null)
            text.Append(footer).Append('\n');
        return text.ToString();
    }

    private string Footer(HashSet<int> emitted, List<int> selected, string cursor)
    {
        long findings = totals.GetValueOrDefault(SummaryItemKind.Finding), events = totals.GetValueOrDefault(SummaryItemKind.Event);
        long shown = emitted.Count + selected.Count;
        long other = 0;
        foreach (int i in emitted.Concat(selected))
        {
            if (i < _items.Count)
            {
                var kind = _items[i].Kind;
                if (kind == SummaryItemKind.Finding)
                    findings--;
                else if (kind == SummaryItemKind.Event)
                    events--;
            }
        }
        other = totals.Values.Sum() - shown - findings - events;
        return Footer(findings, events, other, cursor);
    }

    private static string Footer(long findings, long events, long other, string cursor)
    {
        var parts = new List<string>();
        if (findings > 0)
            parts.Add($"{TraceText.Count(findings)} more finding{(findings == 1 ? "" : "s")}");
        if (events > 0)
            parts.Add($"{TraceText.Count(events)} more event{(events == 1 ? "" : "s")}");
        if (other > 0)
            parts.Add($"{TraceText.Count(other)} more line{(other == 1 ? "" : "s")}");
        return $"… {string.Join(", ", parts)} omitted; continue with cursor {cursor}";
    }

    private bool TryGet(int index, out SummaryItem item)
    {
        while (index >= _items.Count && _source is not null)
        {
            if (_source.MoveNext())
            {
                _items.Add(_source.Current);
                _prices.Add(-1);
            }
            else
            {
                _source.Dispose();
                _source = null;
            }
        }
        if (index < _items.Count)
        {
            item = _items[index];
            return true;
        }
        item = null!;
        return false;
    }

    private int Price(int index)
    {
        if (_prices[index] < 0)
            _prices[index] = counter.CountTokens(_items[index].Text + "\n");
        return _prices[index];
    }

    private int HeadingPrice(string section)
    {
        if (!_headingPrices.TryGetValue(section, out int price))
            _headingPrices[section] = price = counter.CountTokens(section + "\n");
        return price;
    }
}
