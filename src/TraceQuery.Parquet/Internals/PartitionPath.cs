using System.Globalization;
using System.Text;

namespace TraceQuery.Parquet.Internals;

/// <summary>
/// Hive-style partition directory names: <c>trace=&lt;value&gt;</c> with the characters Hive escapes (controls, <c>"</c>
/// <c>#</c> <c>%</c> <c>'</c> <c>*</c> <c>/</c> <c>:</c> <c>=</c> <c>?</c> <c>\</c> DEL <c>{</c> <c>[</c> <c>]</c> <c>^</c>)
/// written as <c>%XX</c> of their UTF-8 bytes, so a nested name (<c>nightly/run-17</c>) stays one directory.
/// </summary>
internal static class PartitionPath
{
    public const string Key = "trace";

    public static string Directory(string value) => Key + "=" + Escape(value);

    public static string Escape(string value)
    {
        var text = new StringBuilder(value.Length + 8);
        Span<byte> bytes = stackalloc byte[4];
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (!NeedsEscape(c))
            {
                text.Append(c);
                continue;
            }
            int length = Encoding.UTF8.GetBytes(value.AsSpan(i, 1), bytes);
            for (int b = 0; b < length; b++)
                text.Append('%').Append(bytes[b].ToString("X2", CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    private static bool NeedsEscape(char c) =>
        c < ' ' || c is '"' or '#' or '%' or '\'' or '*' or '/' or ':' or '=' or '?' or '\\' or '\u007F' or '{' or '[' or ']' or '^';
}
