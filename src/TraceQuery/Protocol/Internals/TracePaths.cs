namespace TraceQuery.Protocol.Internals;

/// <summary>Resolves a client-supplied trace name inside the server's root and refuses anything that leads out of it.</summary>
internal static class TracePaths
{
    /// <summary>Bytes a reader will read for <paramref name="path"/>: the file's length, or the files of a session directory two levels deep.</summary>
    public static long SizeInBytes(string path)
    {
        try
        {
            if (File.Exists(path))
                return new FileInfo(path).Length;
            var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 1, IgnoreInaccessible = true };
            return new DirectoryInfo(path).EnumerateFiles("*", options).Sum(f => f.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    public static string Resolve(string root, string name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw RequestParams.Invalid("trace", "is empty; name a trace session relative to the server's trace root");
        if (name.Contains('\0', StringComparison.Ordinal))
            throw RequestParams.Invalid("trace", "contains a NUL character");
        if (Path.IsPathRooted(name) || name.StartsWith('~'))
            throw RequestParams.Invalid("trace", $"'{name}' is an absolute path; name a trace relative to the server's trace root");
        if (name == ".")
        {
            string rootItself = RealPath(Path.GetFullPath(root));
            CheckSessionFiles(rootItself, rootItself, name);
            return rootItself;
        }
        var segments = name.Split('/', '\\');
        if (segments.Any(s => s == ".."))
            throw RequestParams.Invalid("trace", $"'{name}' contains '..'; traces must stay inside the server's trace root");

        string realRoot = RealPath(Path.GetFullPath(root));
        string full = Path.GetFullPath(Path.Combine(realRoot, name));
        if (!IsInside(realRoot, full))
            throw RequestParams.Invalid("trace", $"'{name}' resolves outside the server's trace root");
        // Follow links component by component: a symlink inside the root may point out of it.
        string real = RealPath(full);
        if (!IsInside(realRoot, real))
            throw RequestParams.Invalid("trace", $"'{name}' leads outside the server's trace root through a link");
        CheckSessionFiles(realRoot, real, name);
        return full;
    }

    /// <summary>
    /// The files a reader opens inside a session (manifest.json, thread_N/, index.atf, detail.atf, and any
    /// other file at those two levels) must not link out of the root either: a session whose manifest.json
    /// links to a secret file would otherwise be read, and parts of it echoed in error messages.
    /// </summary>
    private static void CheckSessionFiles(string realRoot, string session, string name)
    {
        if (!Directory.Exists(session))
            return;
        foreach (var entry in new DirectoryInfo(session).EnumerateFileSystemInfos())
        {
            CheckEntry(realRoot, entry, name);
            if (entry is DirectoryInfo { LinkTarget: null } child)
            {
                foreach (var inner in child.EnumerateFileSystemInfos())
                    CheckEntry(realRoot, inner, name);
            }
        }
    }

    private static void CheckEntry(string realRoot, FileSystemInfo entry, string name)
    {
        if (entry.LinkTarget is null)
            return;
        string real = RealPath(entry.FullName);
        if (!IsInside(realRoot, real))
            throw RequestParams.Invalid("trace", $"'{name}' holds {Path.GetFileName(entry.FullName)}, a link that leads outside the server's trace root");
    }

    private static bool IsInside(string root, string path)
    {
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        string prefix = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        return string.Equals(path, root, comparison) || path.StartsWith(prefix, comparison);
    }

    /// <summary>The path with every existing symbolic link along it resolved.</summary>
    private static string RealPath(string path, int depth = 0)
    {
        if (depth > 40)
            throw RequestParams.Invalid("trace", "leads through too many symbolic links");
        string? parent = Path.GetDirectoryName(path);
        string resolvedParent = parent is null ? path : RealPath(parent, depth);
        string current = parent is null ? path : Path.Combine(resolvedParent, Path.GetFileName(path));
        for (int hops = 0; hops < 40; hops++)
        {
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (!info.Exists || info.LinkTarget is null)
                return current;
            string target = info.LinkTarget;
            current = Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(Path.GetDirectoryName(current)!, target));
            current = RealPath(current, depth + 1);
        }
        throw RequestParams.Invalid("trace", "leads through too many symbolic links");
    }
}
