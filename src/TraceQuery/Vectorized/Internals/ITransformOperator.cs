using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

/// <summary>
/// Maps an input element to the value an aggregation folds, given a per-call scalar argument (for example the
/// mean in (x − mean)²). Input and output vectors must have the same lane count.
/// </summary>
internal interface ITransformOperator<TIn, TOut>
{
    /// <summary>Whether the vector <c>Invoke</c> may be used; when false drivers take the scalar path.</summary>
    static abstract bool Vectorizable { get; }

    /// <summary>The transform of one element.</summary>
    static abstract TOut Invoke(TIn x, TOut argument);

    /// <summary>The transform lane by lane; <paramref name="argument"/> holds the scalar argument in every lane.</summary>
    static abstract Vector256<TOut> Invoke(Vector256<TIn> x, Vector256<TOut> argument);
}
