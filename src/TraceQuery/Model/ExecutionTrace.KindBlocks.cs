using TraceQuery.Model.Internals;

namespace TraceQuery.Model;

public sealed partial class ExecutionTrace
{
    /// <summary>Events per block of <see cref="KindBlockMasks"/> (64 bitmap words).</summary>
    internal const int KindBlockSize = 4096;

    private byte[]? _kindBlockMasks;

    /// <summary>
    /// A zone map of the kind column: per block of <see cref="KindBlockSize"/> events, bit k set when kind k
    /// (1–3) occurs in it; any other value sets every bit, so every kind filter scans that block. Lets a kind
    /// filter skip blocks that cannot match
    /// (EXCEPTION events are rare). Built on first use and cached; 1 byte per 4,096 events, O(events) once.
    /// </summary>
    internal ReadOnlySpan<byte> KindBlockMasks =>
        Volatile.Read(ref _kindBlockMasks) ?? BuiltOnce.Publish(ref _kindBlockMasks, BuildKindBlockMasks(Kinds));

    /// <summary>The mask bit of one kind value, as in <see cref="KindBlockMasks"/>.</summary>
    internal static byte KindMaskBit(byte kind) => (byte)(kind is >= 1 and <= 6 ? 1 << kind : 0x80);

    private static byte[] BuildKindBlockMasks(ReadOnlySpan<byte> kinds)
    {
        var masks = new byte[(kinds.Length + KindBlockSize - 1) / KindBlockSize];
        for (int b = 0; b < masks.Length; b++)
        {
            var block = kinds.Slice(b * KindBlockSize, Math.Min(KindBlockSize, kinds.Length - (b * KindBlockSize)));
            byte mask = 0;
            for (byte kind = 1; kind <= 3; kind++)
            {
                if (block.Contains(kind))
                    mask |= KindMaskBit(kind);
            }
            if (block.IndexOfAnyExceptInRange((byte)1, (byte)3) >= 0)
                mask |= 0xFE; // a rare value: let every kind filter scan this block
            masks[b] = mask;
        }
        return masks;
    }
}
