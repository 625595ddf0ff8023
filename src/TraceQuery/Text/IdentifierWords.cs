using System.Text;

namespace TraceQuery.Text;

/// <summary>Splits identifiers into lower-case words, for matching plain-language symptoms against function names.</summary>
internal static class IdentifierWords
{
    /// <summary>Lower-case identifier parts: <c>Buffer::allocPages</c> → buffer, alloc, pages; <c>HTTPConnect</c> → http, connect.</summary>
    public static List<string> Split(string name)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        void Flush()
        {
            if (current.Length > 0)
                parts.Add(current.ToString().ToLowerInvariant());
            current.Clear();
        }
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (!char.IsLetterOrDigit(c))
            {
                Flush();
                continue;
            }
            if (char.IsUpper(c) && current.Length > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
                Flush();
            current.Append(c);
        }
        Flush();
        return parts;
    }
}
