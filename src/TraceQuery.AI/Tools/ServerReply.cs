using System.Text.Json.Nodes;

namespace TraceQuery.Tools;

/// <summary>
/// One answer of <see cref="TraceQuery.Protocol.TraceQueryServer"/>, read from its JSON-RPC response: the text
/// for the reader (the <c>data</c> of a success, the message of an error) and the fields around it.
/// </summary>
/// <param name="Json">The whole response, as the server wrote it.</param>
/// <param name="IsError">True for an error response.</param>
/// <param name="Text">The <c>data</c> text of a success (exactly what <c>tokens_used</c> counts), or the error message.</param>
/// <param name="BudgetNote">The server's note that the requested budget was clamped, if it was.</param>
/// <param name="Fields">Every field of the result except <c>data</c> (tokens used, budget, cursor, …); the error object for an error.</param>
internal sealed record ServerReply(string Json, bool IsError, string Text, string? BudgetNote, JsonObject Fields)
{
    /// <summary>Reads a single (non-batch) JSON-RPC response.</summary>
    public static ServerReply Parse(string json)
    {
        var response = JsonNode.Parse(json)?.AsObject() ?? throw new InvalidOperationException("The server answered with no JSON object.");
        if (response["error"] is JsonObject error)
        {
            string message = error["message"]?.GetValue<string>() ?? "The server reported an error without a message.";
            return new ServerReply(json, IsError: true, message, BudgetNote: null, (JsonObject)error.DeepClone());
        }
        var result = response["result"]?.AsObject() ?? throw new InvalidOperationException("The server answered with neither a result nor an error.");
        var fields = (JsonObject)result.DeepClone();
        string text = fields["data"]?.GetValue<string>() ?? "";
        fields.Remove("data");
        string? note = fields["budget_note"]?.GetValue<string>();
        return new ServerReply(json, IsError: false, text, note, fields);
    }
}
