namespace TraceQuery.Formats.Atf;

/// <summary>Options for reading ATF v2 sessions.</summary>
public sealed record AtfReadOptions
{
    /// <summary>Default options: checksums verified.</summary>
    public static AtfReadOptions Default { get; } = new();

    /// <summary>
    /// Verify non-zero CRC32 checksums in index and detail footers (a checksum of 0 means the writer
    /// computed none and is always accepted). Default true; costs one pass over the event bytes.
    /// </summary>
    public bool VerifyChecksums { get; init; } = true;
}
