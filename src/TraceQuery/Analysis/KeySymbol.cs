namespace TraceQuery.Analysis;

/// <summary>One function a <see cref="KeySymbolPlan"/> ranks as relevant to a symptom, with why.</summary>
/// <param name="FunctionId">Function id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Module">Module file name.</param>
/// <param name="Score">Sum of the weights of its reasons; higher ranks first.</param>
/// <param name="Reasons">
/// Why, strongest first: <c>name_match(parse, header)</c> (identifier parts sharing a stem with symptom words;
/// <c>memory~alloc</c> marks a related word), <c>hint_match(module libstore.so)</c>, <c>in_finding(crash)</c>,
/// <c>neighbour(caller of parse_header)</c>.
/// </param>
/// <param name="Calls">Call spans of the function in the trace.</param>
public sealed record KeySymbol(ulong FunctionId, string Name, string Module, double Score, IReadOnlyList<string> Reasons, long Calls);
