using CsCheck;

namespace TraceQuery.Tests.Reliability;

/// <summary>Random damage to valid inputs: bit flips, byte sets, truncations, splices from another input, inserts, deletes, duplicated ranges.</summary>
internal static class Mutations
{
    /// <summary>One mutation of a byte string (positions and lengths are fractions of its length, so they always apply).</summary>
    internal enum Mutation
    {
        FlipBit,
        SetByte,
        Truncate,
        Splice,
        Insert,
        Delete,
        Duplicate,
    }

    internal static readonly Gen<(Mutation Kind, double At, double To, byte Value)> Step =
        Gen.Select(Gen.Enum<Mutation>(), Gen.Double[0, 1], Gen.Double[0, 1], Gen.OneOf(Gen.Byte, Gen.Const<byte>(0), Gen.Const<byte>(0xFF), Gen.Const<byte>(0x80), Gen.Const<byte>(0x7F)));

    /// <summary>Which original to damage and with what (the indices are reduced modulo the number of originals).</summary>
    internal static readonly Gen<(int Base, int Other, (Mutation Kind, double At, double To, byte Value)[] Steps)> Damage =
        Gen.Select(Gen.Int[0, 99], Gen.Int[0, 99], Step.Array[1, 4]);

    /// <summary>Applies <paramref name="damage"/> to one of <paramref name="originals"/>, splicing from another.</summary>
    internal static byte[] Apply(IReadOnlyList<byte[]> originals, (int Base, int Other, (Mutation Kind, double At, double To, byte Value)[] Steps) damage) =>
        Mutate(originals[damage.Base % originals.Count], originals[damage.Other % originals.Count], damage.Steps);

    private static byte[] Mutate(byte[] input, byte[] other, (Mutation Kind, double At, double To, byte Value)[] steps)
    {
        var bytes = new List<byte>(input);
        foreach (var (kind, at, to, value) in steps)
        {
            int n = bytes.Count;
            int i = (int)(at * n), j = (int)(to * n);
            if (n == 0 && kind is not (Mutation.Insert or Mutation.Splice))
                continue;
            i = Math.Min(i, Math.Max(0, n - 1));
            switch (kind)
            {
                case Mutation.FlipBit:
                    bytes[i] ^= (byte)(1 << (value & 7));
                    break;
                case Mutation.SetByte:
                    bytes[i] = value;
                    break;
                case Mutation.Truncate:
                    bytes.RemoveRange(i, n - i);
                    break;
                case Mutation.Splice:
                    int from = (int)(to * other.Length), length = Math.Min(1 + value, other.Length - from);
                    bytes.InsertRange(Math.Min(i, bytes.Count), other.Skip(from).Take(length));
                    break;
                case Mutation.Insert:
                    bytes.InsertRange(Math.Min(i, bytes.Count), Enumerable.Repeat(value, 1 + (value % 64)));
                    break;
                case Mutation.Delete:
                    bytes.RemoveRange(i, Math.Min(n - i, 1 + (value % 64)));
                    break;
                default:
                    int start = Math.Min(i, j), count = Math.Min(Math.Abs(j - i) + 1, 256);
                    bytes.InsertRange(start, bytes.Skip(start).Take(count).ToList());
                    break;
            }
        }
        return [.. bytes];
    }
}
