using TraceQuery.Vectorized;

namespace TraceQuery.Tests.Vectorized;

/// <summary>
/// The two ways a kernel can run in this process: as dispatched (the <c>Vector256</c> body where the machine
/// accelerates it) and forced onto the scalar twin. Kernel tests run over both with <c>[DynamicData]</c>.
/// </summary>
internal static class KernelPaths
{
    public const string Dispatched = "dispatched";
    public const string Scalar = "scalar";

    public static IEnumerable<object[]> All => [[Dispatched], [Scalar]];

    /// <summary>Selects <paramref name="path"/> for this flow of execution until the scope is disposed.</summary>
    public static KernelDispatch.ScalarScope Enter(string path) => KernelDispatch.ForceScalarScope(path == Scalar);
}
