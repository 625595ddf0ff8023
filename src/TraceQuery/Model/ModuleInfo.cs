namespace TraceQuery.Model;

/// <summary>A loaded module (executable or library) named in a trace's symbol table.</summary>
/// <param name="ModuleId">32-bit id; ATF uses the FNV-1a hash of the ASCII-lower-cased path.</param>
/// <param name="Path">The module's path as the tracer saw it.</param>
/// <param name="BaseAddress">Load address, when the tracer recorded it.</param>
/// <param name="Size">Mapped size in bytes, when recorded.</param>
/// <param name="Uuid">Build UUID, when recorded.</param>
public sealed record ModuleInfo(uint ModuleId, string Path, ulong? BaseAddress = null, ulong? Size = null, string? Uuid = null)
{
    /// <summary>The last path segment (<c>/usr/lib/libfoo.so</c> → <c>libfoo.so</c>).</summary>
    public string FileName
    {
        get
        {
            int slash = Path.AsSpan().LastIndexOfAny('/', '\\');
            return slash < 0 ? Path : Path[(slash + 1)..];
        }
    }
}
