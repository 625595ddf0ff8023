namespace TraceQuery.Formats.Atf;

/// <summary>
/// Options for reading ATF v2 sessions, including the caps that keep a hostile or damaged session from
/// taking the host's memory. A session over a cap is refused with a <see cref="TraceFormatException"/> that
/// names the cap. Every cap must be at least 1 (<see cref="Validate"/>); <c>int.MaxValue</c> (or
/// <c>long.MaxValue</c>) means "no cap beyond what the format allows".
/// </summary>
public sealed record AtfReadOptions
{
    /// <summary>Default options: checksums verified, default caps.</summary>
    public static AtfReadOptions Default { get; } = new();

    /// <summary>
    /// Verify non-zero CRC32 checksums in index and detail footers (a checksum of 0 means the writer
    /// computed none and is always accepted). Default true; costs one pass over the event bytes.
    /// </summary>
    public bool VerifyChecksums { get; init; } = true;

    /// <summary>Most events loaded from one session, all threads together. Default <c>int.MaxValue</c> (the column limit).</summary>
    public long MaxEvents { get; init; } = int.MaxValue;

    /// <summary>Most modules plus symbols in manifest.json. Default 16,777,216.</summary>
    public int MaxSymbols { get; init; } = 1 << 24;

    /// <summary>Longest string in manifest.json (a function name, a module path), in characters. Default 65,536.</summary>
    public int MaxStringLength { get; init; } = 1 << 16;

    /// <summary>Deepest nesting of manifest.json. Default 64; values above 1,000 are treated as 1,000.</summary>
    public int MaxJsonDepth { get; init; } = 64;

    /// <summary>Largest manifest.json, in bytes. Default 256 MiB.</summary>
    public long MaxManifestBytes { get; init; } = 256L << 20;

    /// <summary>How the column pass reaches the index files' events; the benchmarks compare the ways (default: the mapping).</summary>
    internal AtfEventAccess EventAccess { get; init; } = AtfEventAccess.Mapped;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a cap is below 1.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxEvents, 1, nameof(MaxEvents));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSymbols, 1, nameof(MaxSymbols));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxStringLength, 1, nameof(MaxStringLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxJsonDepth, 1, nameof(MaxJsonDepth));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxManifestBytes, 1, nameof(MaxManifestBytes));
    }
}

/// <summary>How <see cref="AtfReader"/>'s column pass reaches the events of an index file.</summary>
internal enum AtfEventAccess
{
    /// <summary>Through the file's memory mapping, pages faulted in as the pass reads them.</summary>
    Mapped,

    /// <summary>Through the mapping, every page of the event section mapped in first (<c>MADV_POPULATE_READ</c>, Linux).</summary>
    PopulatedMapping,

    /// <summary>With read calls, block by block into a pooled buffer the pass splits while it is in cache; no mapping is read.</summary>
    ReadCalls,
}
