using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

/// <summary>
/// Decides between a kernel's <see cref="Vector256{T}"/> body and its scalar twin. Tests set
/// <see cref="ForceScalar"/> to compare both paths in one process; CI also runs everything with
/// <c>DOTNET_EnableHWIntrinsic=0</c>, where <see cref="Vector256.IsHardwareAccelerated"/> is false.
/// </summary>
internal static class KernelDispatch
{
    [ThreadStatic]
    private static bool _forceScalar;

    /// <summary>When true on the current thread, every driver takes its scalar path.</summary>
    public static bool ForceScalar
    {
        get => _forceScalar;
        set => _forceScalar = value;
    }

    /// <summary>Whether <see cref="Vector256{T}"/> code for <typeparamref name="T"/> runs accelerated here.</summary>
    public static bool UseVector256<T>() =>
        Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && !_forceScalar;

    /// <summary>Sets <see cref="ForceScalar"/> to <paramref name="force"/> on this thread until the scope is disposed.</summary>
    public static ScalarScope ForceScalarScope(bool force = true) => new(force);

    /// <summary>Restores the previous <see cref="ForceScalar"/> value on dispose.</summary>
    public readonly struct ScalarScope : IDisposable
    {
        private readonly bool _previous;

        internal ScalarScope(bool force)
        {
            _previous = _forceScalar;
            _forceScalar = force;
        }

        public void Dispose() => _forceScalar = _previous;
    }
}
