namespace TraceQuery.Formats.Atf;

/// <summary>A thread entry of manifest.json.</summary>
/// <param name="Id">Thread slot.</param>
/// <param name="HasDetail">What the manifest claims (the original tracer says true for every thread; trust the file's presence instead).</param>
public readonly record struct AtfManifestThread(uint Id, bool HasDetail);
