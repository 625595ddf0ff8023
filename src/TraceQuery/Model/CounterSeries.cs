namespace TraceQuery.Model;

/// <summary>
/// A counter series a producer wrote (Chrome <c>C</c> events): one per counter name and value key, summarised
/// (the samples themselves are not kept).
/// </summary>
/// <param name="Name">The counter's name, with the value key after a dot when the event held several (<c>memory.used</c>).</param>
/// <param name="Count">Number of samples.</param>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value.</param>
/// <param name="Last">Value of the latest sample (by time; file order on ties).</param>
public sealed record CounterSeries(string Name, long Count, double Min, double Max, double Last);
