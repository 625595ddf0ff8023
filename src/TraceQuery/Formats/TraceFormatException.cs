using System.Globalization;

namespace TraceQuery.Formats;

/// <summary>
/// A trace source is damaged in a way no real writer produces, or is not a trace at all. The message names
/// the file and, where it applies, the byte offset and what was expected there.
/// </summary>
public sealed class TraceFormatException : Exception
{
    /// <summary>Creates the exception for a problem in <paramref name="path"/>, optionally at <paramref name="offset"/>.</summary>
    public TraceFormatException(string path, long? offset, string problem, Exception? inner = null)
        : base(Format(path, offset, problem), inner)
    {
        Path = path;
        Offset = offset;
        Problem = problem;
    }

    /// <summary>The file or directory that is wrong.</summary>
    public string Path { get; }

    /// <summary>Byte offset in <see cref="Path"/> where the problem is, when it has one.</summary>
    public long? Offset { get; }

    /// <summary>The problem without the location prefix.</summary>
    public string Problem { get; }

    private static string Format(string path, long? offset, string problem) =>
        offset is { } o
            ? string.Create(CultureInfo.InvariantCulture, $"{path} at byte {o}: {problem}")
            : $"{path}: {problem}";
}
