namespace TraceQuery.Model;

/// <summary>What <see cref="TraceColumnBuilder.Build"/> hands to the <see cref="ExecutionTrace"/> constructor: the columns, the distinct function ids and the threads.</summary>
internal sealed class BuiltColumns
{
    public required long[] Timestamps { get; init; }
    public required int[] FunctionOrdinals { get; init; }
    public required byte[] Kinds { get; init; }
    public required uint[] Depths { get; init; }
    public required uint[] DetailSeqs { get; init; }
    public required int Count { get; init; }
    public required ulong[] FunctionIds { get; init; }
    public required TraceThread[] Threads { get; init; }

    /// <summary>Per thread: original sequence number of each kept event, or null when it is the position itself.</summary>
    public required int[]?[] SequenceMaps { get; init; }
}
