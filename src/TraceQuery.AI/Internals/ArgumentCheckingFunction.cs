using System.Text.Json;
using Microsoft.Extensions.AI;

namespace TraceQuery.AI.Internals;

/// <summary>
/// Arguments a function cannot bind (a missing required one, a wrong JSON type) come back as text that says what is wrong,
/// as the MCP tools do, instead of an exception the chat client would hide from the model.
/// </summary>
internal sealed class ArgumentCheckingFunction(AIFunction inner) : DelegatingAIFunction(inner)
{
    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        try
        {
            return await base.InvokeCoreAsync(arguments, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or JsonException)
        {
            return $"Error: invalid arguments for {Name}: {e.Message.Split(" (Parameter")[0]} See the function's parameter schema.";
        }
    }
}
