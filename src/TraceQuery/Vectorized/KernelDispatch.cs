using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized;

/// <summary>
/// The one switch between a kernel's <see cref="Vector256{T}"/> body and its scalar twin, for every driver (the numeric
/// kernels and Filtering's column scans and bitmap operations). The scalar twins run when the hardware does not
/// accelerate <see cref="Vector256"/> (also under <c>DOTNET_EnableHWIntrinsic=0</c>), when the environment variable
/// <c>TRACEQUERY_SIMD=scalar</c> was set at start, or inside a <see cref="ForceScalarScope"/> (tests comparing both paths).
/// </summary>
internal static class KernelDispatch
{
    /// <summary>The environment variable read once at start; the value <c>scalar</c> (any case) forces every scalar twin.</summary>
    public const string EnvironmentVariable = "TRACEQUERY_SIMD";

    private static readonly bool EnvironmentScalar =
        string.Equals(Environment.GetEnvironmentVariable(EnvironmentVariable), "scalar", StringComparison.OrdinalIgnoreCase);

    // An async-local override flows into the tasks a scope starts (Parallel.For chunks) and into nothing else, so tests
    // that force the scalar twins can run in parallel with tests that do not. While no scope is open (every run outside
    // tests), the check costs one static read.
    private static readonly AsyncLocal<bool> ScopedScalar = new();
    private static int _openScopes;

    /// <summary>Whether <c>TRACEQUERY_SIMD=scalar</c> forced the scalar twins for this process.</summary>
    public static bool EnvironmentForcesScalar => EnvironmentScalar;

    /// <summary>True when every driver takes its scalar path here (environment or an enclosing <see cref="ForceScalarScope"/>).</summary>
    public static bool ForceScalar => EnvironmentScalar || (Volatile.Read(ref _openScopes) != 0 && ScopedScalar.Value);

    /// <summary>Whether <see cref="Vector256{T}"/> code for <typeparamref name="T"/> runs accelerated here.</summary>
    public static bool UseVector256<T>() =>
        Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && !ForceScalar;

    /// <summary>
    /// Forces (or, with <paramref name="force"/> false, un-forces) the scalar twins for the current flow of execution,
    /// including work it starts in parallel, until the scope is disposed. The environment override still wins.
    /// </summary>
    public static ScalarScope ForceScalarScope(bool force = true) => new(force);

    /// <summary>Restores the previous scalar override of the current flow on dispose.</summary>
    public readonly struct ScalarScope : IDisposable
    {
        private readonly bool _previous;

        internal ScalarScope(bool force)
        {
            Interlocked.Increment(ref _openScopes);
            _previous = ScopedScalar.Value;
            ScopedScalar.Value = force;
        }

        /// <summary>Restores the override that held before the scope.</summary>
        public void Dispose()
        {
            ScopedScalar.Value = _previous;
            Interlocked.Decrement(ref _openScopes);
        }
    }
}
