using System.Globalization;

namespace TraceQuery.Fuzz;

/// <summary>
/// An ATF session as one byte string, so a fuzzer can mutate all of its files at once. Sections are
/// separated by <see cref="Separator"/>: <c>index.atf</c> and <c>detail.atf</c> of thread 0, of thread 1, and so
/// on, then — when the number of sections is odd — <c>manifest.json</c>. An empty detail section means no
/// detail file; an empty index section is a 0-byte index file (what a killed tracer leaves).
/// </summary>
public static class AtfBundle
{
    /// <summary>The bytes between two sections.</summary>
    public static ReadOnlySpan<byte> Separator => "\n--tq-file--\n"u8;

    /// <summary>Threads a bundle may unpack to; more sections are ignored (bounds the files one input writes).</summary>
    public const int MaxThreads = 8;

    /// <summary>Packs a session directory written with thread ids 0, 1, … into a bundle.</summary>
    public static byte[] Pack(string directory)
    {
        var output = new MemoryStream();
        for (int t = 0; ; t++)
        {
            string threadDirectory = Path.Combine(directory, "thread_" + t.ToString(CultureInfo.InvariantCulture));
            string index = Path.Combine(threadDirectory, "index.atf");
            if (!File.Exists(index))
                break;
            if (t > 0)
                output.Write(Separator);
            output.Write(File.ReadAllBytes(index));
            output.Write(Separator);
            string detail = Path.Combine(threadDirectory, "detail.atf");
            if (File.Exists(detail))
                output.Write(File.ReadAllBytes(detail));
        }
        string manifest = Path.Combine(directory, "manifest.json");
        if (File.Exists(manifest))
        {
            output.Write(Separator);
            output.Write(File.ReadAllBytes(manifest));
        }
        return output.ToArray();
    }

    /// <summary>Replaces the session in <paramref name="directory"/> with the one <paramref name="bundle"/> describes.</summary>
    public static void Unpack(ReadOnlySpan<byte> bundle, string directory)
    {
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
        Directory.CreateDirectory(directory);
        var sections = new List<byte[]>();
        while (true)
        {
            int at = bundle.IndexOf(Separator);
            if (at < 0)
            {
                sections.Add(bundle.ToArray());
                break;
            }
            sections.Add(bundle[..at].ToArray());
            bundle = bundle[(at + Separator.Length)..];
        }
        int files = sections.Count;
        if (files % 2 == 1 && files > 1)
        {
            File.WriteAllBytes(Path.Combine(directory, "manifest.json"), sections[^1]);
            files--;
        }
        for (int i = 0; i < files && i / 2 < MaxThreads; i += 2)
        {
            string threadDirectory = Path.Combine(directory, "thread_" + (i / 2).ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(threadDirectory);
            File.WriteAllBytes(Path.Combine(threadDirectory, "index.atf"), sections[i]);
            if (i + 1 < sections.Count && sections[i + 1].Length > 0 && i + 1 < files)
                File.WriteAllBytes(Path.Combine(threadDirectory, "detail.atf"), sections[i + 1]);
        }
    }
}
