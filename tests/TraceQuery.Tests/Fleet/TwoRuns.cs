using TraceQuery.Model;

namespace TraceQuery.Tests.Fleet;

/// <summary>
/// Two runs of one small program, built event by event: 120 iterations of <c>read_block</c> (10 µs), <c>checksum</c>
/// and <c>validate</c> (5 µs) under <c>main</c>. The candidate's <c>checksum</c> takes 50 µs instead of 20 µs, and its
/// <c>validate</c> raises (and handles) "bad checksum" in 3 iterations; everything else is the same.
/// </summary>
internal static class TwoRuns
{
    public const uint Module = 0x0A0B0C0D;
    public const int Iterations = 120;

    public static ExecutionTrace Baseline() => Build(checksumNs: 20_000, errors: 0);

    public static ExecutionTrace Candidate() => Build(checksumNs: 50_000, errors: 3);

    public static ulong Id(uint symbol) => SymbolTable.MakeFunctionId(Module, symbol);

    private static ExecutionTrace Build(long checksumNs, int errors)
    {
        var builder = new TraceBuilder();
        builder.AddModule(new ModuleInfo(Module, "/opt/app/bin/app"));
        string[] names = ["main", "read_block", "checksum", "validate"];
        for (uint s = 0; s < names.Length; s++)
            builder.AddSymbol(new SymbolInfo(Id(s), names[s]));
        builder.AddThread(1, "worker");
        ulong t = 1_000_000;
        builder.Add(new TraceEvent(t, Id(0), 1, EventKind.Call, 1, TraceEvent.NoDetail));
        for (int i = 0; i < Iterations; i++)
        {
            t += 1_000;
            Call(builder, ref t, Id(1), 10_000);
            Call(builder, ref t, Id(2), (ulong)checksumNs);
            if (i % 40 == 7 && errors-- > 0)
            {
                builder.Add(new TraceEvent(t, Id(3), 1, EventKind.Call, 2, TraceEvent.NoDetail));
                t += 2_000;
                builder.Add(new TraceEvent(t, Id(3), 1, EventKind.Exception, 2, TraceEvent.NoDetail), "InvalidDataException: bad checksum");
                t += 3_000;
                builder.Add(new TraceEvent(t, Id(3), 1, EventKind.Return, 2, TraceEvent.NoDetail));
                t += 500;
            }
            else
            {
                Call(builder, ref t, Id(3), 5_000);
            }
        }
        t += 1_000;
        builder.Add(new TraceEvent(t, Id(0), 1, EventKind.Return, 1, TraceEvent.NoDetail));
        return builder.Build();
    }

    private static void Call(TraceBuilder builder, ref ulong t, ulong function, ulong durationNs)
    {
        builder.Add(new TraceEvent(t, function, 1, EventKind.Call, 2, TraceEvent.NoDetail));
        t += durationNs;
        builder.Add(new TraceEvent(t, function, 1, EventKind.Return, 2, TraceEvent.NoDetail));
        t += 500;
    }
}
