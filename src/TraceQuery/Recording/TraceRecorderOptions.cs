namespace TraceQuery.Recording;

/// <summary>Settings of a <see cref="TraceRecorder"/>; every property has a documented default except the sources.</summary>
public sealed record TraceRecorderOptions
{
    /// <summary>The default <see cref="Capacity"/>: 65,536 events (about 4.5 MiB of ring).</summary>
    public const int DefaultCapacity = 1 << 16;

    /// <summary>The smallest <see cref="Capacity"/> accepted.</summary>
    public const int MinCapacity = 16;

    /// <summary>The largest <see cref="Capacity"/> accepted (2^26 events, about 4.5 GiB of ring).</summary>
    public const int MaxCapacity = 1 << 26;

    /// <summary>The default <see cref="MaxFunctions"/>.</summary>
    public const int DefaultMaxFunctions = 4096;

    /// <summary>
    /// Names of the <see cref="System.Diagnostics.ActivitySource"/>s to record, with <c>*</c> (any run of
    /// characters) and <c>?</c> (one character) wildcards, compared ignoring case as OpenTelemetry's
    /// <c>AddSource</c> does: <c>MyApp.*</c> records <c>MyApp.Orders</c> and <c>MyApp.Db</c>. At least one.
    /// </summary>
    public required IReadOnlyList<string> SourceNames { get; init; }

    /// <summary>
    /// How many events the ring keeps (a started, stopped or exception event each counts one); older ones
    /// are overwritten and counted as dropped. Rounded up to a power of two; default <see cref="DefaultCapacity"/>.
    /// The ring is allocated once at start: about 72 bytes per event.
    /// </summary>
    public int Capacity { get; init; } = DefaultCapacity;

    /// <summary>Which activity name becomes the function name; default <see cref="ActivityNaming.OperationName"/>.</summary>
    public ActivityNaming Naming { get; init; } = ActivityNaming.OperationName;

    /// <summary>
    /// How many distinct (source, name) functions the recorder registers; activities with further names are
    /// recorded under their source's <c>(other)</c> function and counted in the snapshot's warnings.
    /// Default <see cref="DefaultMaxFunctions"/>.
    /// </summary>
    public int MaxFunctions { get; init; } = DefaultMaxFunctions;
}
