using TraceQuery.Analysis;

namespace TraceQuery.Fleet;

/// <summary>A finding of one trace of a set, with its culprit's name resolved while the trace was open.</summary>
/// <param name="Trace">The trace's name in the set.</param>
/// <param name="Finding">The finding as the analyzer made it (its evidence refers to that trace).</param>
/// <param name="Function">The culprit's display name, or null when the finding has none.</param>
/// <param name="Module">The culprit's module, or null.</param>
public sealed record FleetFinding(string Trace, Finding Finding, string? Function, string? Module);
