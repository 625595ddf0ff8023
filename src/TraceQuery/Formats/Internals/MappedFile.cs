using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace TraceQuery.Formats.Internals;

/// <summary>A read-only memory mapping of a whole file (nothing mapped for a 0-byte file).</summary>
internal sealed unsafe partial class MappedFile : IDisposable
{
    /// <summary>Linux's <c>madvise</c> advice that maps every page of a range now (since 5.14): one call instead of a page fault per page.</summary>
    private const int MadvisePopulateRead = 22;

    private const int PageSize = 4096;

    private readonly MemoryMappedFile? _map;
    private readonly MemoryMappedViewAccessor? _view;
    private byte* _pointer;

    private MappedFile(string path, long length, MemoryMappedFile? map, MemoryMappedViewAccessor? view, byte* pointer)
    {
        Path = path;
        Length = length;
        _map = map;
        _view = view;
        _pointer = pointer;
    }

    public string Path { get; }

    public long Length { get; }

    public byte* Pointer => _pointer;

    /// <summary>Opens and maps a file read-only, sharing it with writers (a tracer may still be running).</summary>
    public static MappedFile Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
        MemoryMappedFile map;
        long length;
        try
        {
            length = stream.Length;
            if (length == 0)
            {
                stream.Dispose();
                return new MappedFile(path, 0, null, null, null);
            }
            // The mapping owns the stream from here on (leaveOpen: false).
            map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        MemoryMappedViewAccessor? view = null;
        try
        {
            view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            pointer += view.PointerOffset;
            return new MappedFile(path, length, map, view, pointer);
        }
        catch
        {
            view?.Dispose();
            map.Dispose();
            throw;
        }
    }

    /// <summary>The bytes <c>[offset, offset + length)</c>; the caller has checked the range.</summary>
    public ReadOnlySpan<byte> Slice(long offset, int length) => new(_pointer + offset, length);

    /// <summary>
    /// Maps the pages of <c>[offset, offset + length)</c> into the process before they are read (Linux 5.14+
    /// <c>MADV_POPULATE_READ</c>): a page-cached file's pages are then read without page faults. Only a hint: false
    /// where the kernel or OS does not support it, and the reads fault the pages in as before.
    /// </summary>
    public bool Populate(long offset, long length)
    {
        if (!OperatingSystem.IsLinux() || _pointer is null || length <= 0)
            return false;
        nuint start = (nuint)(_pointer + offset) & ~(nuint)(PageSize - 1);
        nuint end = (nuint)(_pointer + offset + length);
        try
        {
            return Madvise(start, end - start, MadvisePopulateRead) == 0;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nuint address, nuint length, int advice);

    public void Dispose()
    {
        if (_view is not null && _pointer is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _pointer = null;
        }
        _view?.Dispose();
        _map?.Dispose();
    }
}
