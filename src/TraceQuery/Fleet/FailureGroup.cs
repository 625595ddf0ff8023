using TraceQuery.Analysis;

namespace TraceQuery.Fleet;

/// <summary>
/// Findings of one kind with one culprit across a set ("crash in parse_header: 9 of 200 runs; first in run-17"): the
/// traces that have it, in set order, and the first of them with its finding and evidence.
/// </summary>
/// <param name="Kind">What kind of finding.</param>
/// <param name="Severity">Its severity (the most severe among the traces).</param>
/// <param name="Function">The culprit's name, or null when the findings have none (then they share a title).</param>
/// <param name="Module">The culprit's module, or null.</param>
/// <param name="Traces">Names of the traces with such a finding, in set order.</param>
/// <param name="First">The finding in the first of those traces.</param>
public sealed record FailureGroup(FindingKind Kind, Severity Severity, string? Function, string? Module, IReadOnlyList<string> Traces, FleetFinding First);
