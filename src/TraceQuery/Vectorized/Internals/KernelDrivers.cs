using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

/// <summary>
/// The loops behind <see cref="Kernels"/>: each driver dispatches to a <see cref="Vector256{T}"/> body or its
/// scalar twin and owns the tail, so an operator only says what happens to one element or one vector.
/// Callers validate arguments; drivers assume lengths and overlap were checked.
/// </summary>
internal static partial class KernelDrivers
{
    // 32 zero bytes then 32 all-ones bytes: a Vector256 loaded at byte offset b has its last b bytes set.
    private static ReadOnlySpan<byte> RemainderMaskBytes =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    ];

    /// <summary>A mask whose last <paramref name="lanes"/> lanes are all ones and the others zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> LastLanesMask<T>(int lanes) =>
        Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(RemainderMaskBytes), (nuint)(lanes * Unsafe.SizeOf<T>()))
            .As<byte, T>();
}
