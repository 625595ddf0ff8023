using BenchmarkDotNet.Attributes;

namespace TraceQuery.Benchmarks;

/// <summary>Adds <see cref="EventThroughputColumn"/> to a benchmark class's summary.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Assembly)]
public sealed class EventThroughputColumnAttribute : ColumnConfigBaseAttribute
{
    /// <summary>Creates the attribute.</summary>
    public EventThroughputColumnAttribute()
        : base(new EventThroughputColumn())
    {
    }
}
