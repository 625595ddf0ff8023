using System.Text.Json;
using Microsoft.Extensions.AI;

namespace TraceQuery.Tools;

/// <summary>Turns a <see cref="ToolDefinition"/> into an <see cref="AIFunction"/>: the name, description and parameter schema come from the definition's method; calls go to the surface's <see cref="IToolInvoker"/>.</summary>
internal static class ToolFunctionFactory
{
    /// <summary>
    /// Creates the function for <paramref name="definition"/>. <paramref name="invokerFor"/> picks the invoker of each
    /// call from its arguments (where a surface keeps its per-call context); the invoker's result is returned unchanged.
    /// </summary>
    public static AIFunction Create(ToolDefinition definition, Func<AIFunctionArguments, IToolInvoker> invokerFor, JsonSerializerOptions serializerOptions) =>
        AIFunctionFactory.Create(definition.Method, arguments => new ToolMethods(invokerFor(arguments)), new AIFunctionFactoryOptions
        {
            Name = definition.Name,
            SerializerOptions = serializerOptions,
            MarshalResult = static (result, _, _) => new ValueTask<object?>(result),
        });
}
