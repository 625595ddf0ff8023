namespace TraceQuery.Vectorized;

// Why not System.Numerics.Tensors.TensorPrimitives: it would have done Sum, Min, Max (same NaN and signed-zero
// rules as Math.Min/Max) and Scale (Multiply(x, scalar, destination)) well, with Vector128/256/512 bodies and
// the operator/driver design copied here. It has no one-pass MinMax, no mean/variance, no predicate count, no
// histogram and no k-th selection or percentiles, which are what Analysis needs most, so we would still own
// drivers for the rest; for three easy kernels it is not worth a new package dependency (it is not in the
// shared framework). The layouts match, so a later switch of those three is mechanical.

/// <summary>
/// Numeric kernels over spans for trace analysis: sums, minima and maxima, mean and variance, scaling, counts,
/// a log2 histogram, exact k-th selection and percentiles. Each runs a <c>Vector256</c> body where the hardware
/// accelerates it and a scalar twin otherwise; both give the same result (floating-point sums up to summation
/// order). Nothing here knows about traces.
/// </summary>
public static partial class Kernels
{
}
