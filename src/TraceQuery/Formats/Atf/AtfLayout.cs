namespace TraceQuery.Formats.Atf;

/// <summary>Constants of the ATF v2 byte format (see docs: ATF.md).</summary>
internal static class AtfLayout
{
    public const int HeaderSize = 64;
    public const int FooterSize = 64;
    public const int EventSize = 32;
    public const byte LittleEndian = 1;
    public const byte Version = 1;

    public const uint IndexMagic = 0x32495441;        // "ATI2" read as little-endian u32
    public const uint IndexFooterMagic = 0x41544932;  // "2ITA"
    public const uint DetailMagic = 0x32445441;       // "ATD2"
    public const uint DetailFooterMagic = 0x41544432; // "2DTA"

    public const uint FlagHasDetail = 1;

    public const string ManifestFileName = "manifest.json";
    public const string IndexFileName = "index.atf";
    public const string DetailFileName = "detail.atf";
    public const string ThreadDirectoryPrefix = "thread_";
}
