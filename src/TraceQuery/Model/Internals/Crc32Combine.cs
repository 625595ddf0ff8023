namespace TraceQuery.Model.Internals;

/// <summary>
/// Joins the CRC-32 (IEEE, as <see cref="System.IO.Hashing.Crc32"/> computes it) of two adjacent byte
/// ranges into the CRC-32 of their concatenation, so pieces hashed in parallel give the whole file's
/// checksum. zlib's <c>crc32_combine</c>: crc(A‖B) = crc(A)·x^(8·|B|) mod P ⊕ crc(B). O(log |B|).
/// </summary>
internal static class Crc32Combine
{
    private const uint Polynomial = 0xEDB88320; // reflected IEEE polynomial
    private static readonly uint[] PowersOfX = BuildPowers();

    /// <summary>The CRC-32 of A followed by B, from crc(A), crc(B) and the length of B in bytes.</summary>
    public static uint Combine(uint crcA, uint crcB, long lengthB) =>
        MultiplyModP(XPow8nModP(lengthB), crcA) ^ crcB;

    private static uint MultiplyModP(uint a, uint b)
    {
        uint m = 1u << 31, product = 0;
        while (true)
        {
            if ((a & m) != 0)
            {
                product ^= b;
                if ((a & (m - 1)) == 0)
                    return product;
            }
            m >>= 1;
            b = (b & 1) != 0 ? (b >> 1) ^ Polynomial : b >> 1;
        }
    }

    /// <summary>x^(8·n) mod P.</summary>
    private static uint XPow8nModP(long n)
    {
        uint p = 1u << 31; // x^0
        for (int k = 3; n != 0; n >>= 1, k++)
        {
            if ((n & 1) != 0)
                p = MultiplyModP(PowersOfX[k & 31], p);
        }
        return p;
    }

    /// <summary>x^(2^k) mod P for k = 0..31.</summary>
    private static uint[] BuildPowers()
    {
        var powers = new uint[32];
        uint p = 1u << 30; // x^1
        powers[0] = p;
        for (int k = 1; k < 32; k++)
            powers[k] = p = MultiplyModP(p, p);
        return powers;
    }
}
