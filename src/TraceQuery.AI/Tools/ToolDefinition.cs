using System.Reflection;

namespace TraceQuery.Tools;

/// <summary>One tool as every surface names it: the wire name (letters, digits, underscores), a title for people, and the <see cref="ToolMethods"/> method that defines its description and parameters.</summary>
/// <param name="Name">The tool's name, e.g. <c>trace_summary</c>.</param>
/// <param name="Title">A short title for people, e.g. "Summarize a trace".</param>
/// <param name="Method">The method whose <c>[Description]</c> and parameters define the tool.</param>
internal sealed record ToolDefinition(string Name, string Title, MethodInfo Method);
