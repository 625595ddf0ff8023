using TraceQuery.Model;

namespace TraceQuery.Analysis;

/// <summary>The answer of <see cref="KeySymbolPlanner.Plan"/>: ranked functions and, per module, the set to trace next time.</summary>
/// <param name="Symptom">The symptom text planned for.</param>
/// <param name="Functions">The top functions, best first (ties: more calls, then lower id).</param>
/// <param name="ModuleSets">The ranked functions grouped by module, each set encoded by <see cref="FunctionIdSet.Encode"/>, in order of each module's best rank.</param>
/// <param name="Candidates">Functions that scored above zero (of which <paramref name="Functions"/> are the top).</param>
public sealed record KeySymbolPlan(string Symptom, IReadOnlyList<KeySymbol> Functions, IReadOnlyList<EncodedFunctionIdSet> ModuleSets, int Candidates);
