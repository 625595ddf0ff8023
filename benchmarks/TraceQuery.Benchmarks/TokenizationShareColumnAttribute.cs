using BenchmarkDotNet.Attributes;

namespace TraceQuery.Benchmarks;

/// <summary>Adds <see cref="TokenizationShareColumn"/> to a benchmark class's summary.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class TokenizationShareColumnAttribute : ColumnConfigBaseAttribute
{
    /// <summary>Creates the attribute.</summary>
    public TokenizationShareColumnAttribute()
        : base(new TokenizationShareColumn())
    {
    }
}
