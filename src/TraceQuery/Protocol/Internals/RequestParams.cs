using System.Globalization;
using System.Text.Json;
using TraceQuery.Text;

namespace TraceQuery.Protocol.Internals;

/// <summary>Typed access to request parameters given in snake_case or camelCase, with errors that name the parameter.</summary>
internal sealed class RequestParams(JsonElement? element, int maxStringLength = int.MaxValue)
{
    public bool TryGet(string snakeName, out JsonElement value)
    {
        value = default;
        if (element is not { ValueKind: JsonValueKind.Object } e)
            return false;
        if (e.TryGetProperty(snakeName, out value) && value.ValueKind != JsonValueKind.Null)
            return true;
        string camel = Camel(snakeName);
        return camel != snakeName && e.TryGetProperty(camel, out value) && value.ValueKind != JsonValueKind.Null;
    }

    public string? String(string name)
    {
        if (!TryGet(name, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.String)
            throw Invalid(name, $"must be a string, not {Describe(value)}");
        return Bounded(Text(value, name), name);
    }

    public string RequiredString(string name) =>
        String(name) ?? throw Invalid(name, "is required");

    public int? Int(string name, int min = int.MinValue, int max = int.MaxValue)
    {
        if (!TryGet(name, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long number))
            throw Invalid(name, $"must be an integer, not {Describe(value)}");
        if (number < min || number > max)
            throw Invalid(name, $"is {number.ToString(CultureInfo.InvariantCulture)}; it must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}");
        return (int)number;
    }

    public bool? Bool(string name)
    {
        if (!TryGet(name, out var value))
            return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(name, $"must be true or false, not {Describe(value)}"),
        };
    }

    public IReadOnlyList<string>? Strings(string name)
    {
        if (!TryGet(name, out var value))
            return null;
        if (value.ValueKind == JsonValueKind.String)
            return [Bounded(Text(value, name), name)];
        if (value.ValueKind != JsonValueKind.Array)
            throw Invalid(name, $"must be an array of strings, not {Describe(value)}");
        var list = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                throw Invalid(name, $"must hold only strings, not {Describe(item)}");
            list.Add(Bounded(Text(item, name), name));
        }
        return list;
    }

    /// <summary>A duration as nanoseconds (a number) or text with a unit (<c>"10ms"</c>).</summary>
    public long? Duration(string name)
    {
        if (!TryGet(name, out var value))
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long ns) && ns >= 0)
            return ns;
        if (value.ValueKind == JsonValueKind.String && DurationText.TryParse(Text(value, name), out ns))
            return ns;
        throw Invalid(name, $"must be nanoseconds (a non-negative integer) or a duration such as \"10ms\" (units ns, us, ms, s), not {Describe(value)}");
    }

    /// <summary>The string's text; a lone surrogate escape (<c>"\ud800"</c>) is refused instead of escaping as an InvalidOperationException.</summary>
    public static string Text(JsonElement value, string name)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw Invalid(name, "is not valid Unicode text (it holds an unpaired surrogate escape such as \\ud800)");
        }
    }

    private string Bounded(string text, string name) =>
        text.Length <= maxStringLength
            ? text
            : throw Invalid(name, $"is {text.Length.ToString("N0", CultureInfo.InvariantCulture)} characters long, above the server's limit of {maxStringLength.ToString("N0", CultureInfo.InvariantCulture)}");

    /// <summary>An invalid-params error naming <paramref name="name"/>; <paramref name="problem"/> gets a final full stop unless it has one.</summary>
    public static RpcException Invalid(string name, string problem) =>
        new(RpcException.InvalidParams, $"Invalid params: '{name}' {problem}{(problem.EndsWith('.') ? "" : ".")}", name);

    private static string Camel(string snake)
    {
        var parts = snake.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
    }

    private static string Describe(JsonElement value)
    {
        string raw = value.GetRawText();
        return raw.Length > 40 ? raw[..40] + "…" : raw;
    }
}
