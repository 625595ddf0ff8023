using System.Buffers.Binary;
using TraceQuery.Text;

namespace TraceQuery.Summaries.Internals;

/// <summary>
/// The opaque paging cursor: a fingerprint of the trace and query it belongs to, and the budgets of the
/// pages already served, so the next page is found by replaying them (no repeats, no gaps).
/// Text form: <c>tq1.</c> + base64url.
/// </summary>
internal sealed record QueryCursor(ulong Fingerprint, IReadOnlyList<int> PageBudgets)
{
    private const string Prefix = "tq1.";

    public string Encode()
    {
        var bytes = new byte[8 + (4 * PageBudgets.Count)];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, Fingerprint);
        for (int i = 0; i < PageBudgets.Count; i++)
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8 + (4 * i)), PageBudgets[i]);
        return Prefix + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static QueryCursor Decode(string text, ulong expectedFingerprint)
    {
        const string Hint = "Pass the next_cursor of the previous answer unchanged, with the same trace and query.";
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
            throw new QueryArgumentException("cursor", $"Invalid cursor: it does not start with '{Prefix}'. {Hint}");
        byte[] bytes;
        try
        {
            string body = text[Prefix.Length..].Replace('-', '+').Replace('_', '/');
            bytes = Convert.FromBase64String(body.PadRight(body.Length + ((4 - (body.Length % 4)) % 4), '='));
        }
        catch (FormatException)
        {
            throw new QueryArgumentException("cursor", $"Invalid cursor: it is not valid base64url. {Hint}");
        }
        if (bytes.Length < 12 || (bytes.Length - 8) % 4 != 0 || bytes.Length > 8 + (4 * 100_000))
            throw new QueryArgumentException("cursor", $"Invalid cursor: {bytes.Length} bytes is not a cursor's length. {Hint}");
        ulong fingerprint = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (fingerprint != expectedFingerprint)
            throw new QueryArgumentException("cursor", $"The cursor belongs to another trace or query (or other options). {Hint}");
        var budgets = new int[(bytes.Length - 8) / 4];
        for (int i = 0; i < budgets.Length; i++)
        {
            budgets[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8 + (4 * i)));
            if (budgets[i] <= 0)
                throw new QueryArgumentException("cursor", $"Invalid cursor: page {i + 1} has budget {budgets[i]}. {Hint}");
        }
        return new QueryCursor(fingerprint, budgets);
    }
}
