using BenchmarkDotNet.Running;

// Run all with `dotnet run -c Release -- --filter '*'`; set TRACEQUERY_BENCH_EVENTS for a quick, smaller run.
// `-- memory` prints the managed memory held per event instead (MemoryPerEvent); `-- phases [rounds]` times a first
// whole-trace Process phase by phase (FirstCallPhases); `-- jsonmemory chrome|otlp|real|shaped` prints peak memory while
// reading one JSON file (or `perfetto`, `perfettolarge`, or `builder`: TraceBuilder alone on prepared spans) against the finished trace (JsonReadMemory); `-- jsoncpu chrome|otlp|real|shaped rounds` compares
// the JSON reads by CPU time as well as wall time (JsonCpuProbe); `-- digest FILE…` prints a SHA-256 of everything built from
// each trace file (TraceDigest), to show two builds of the library build the same traces; `-- statscpu rounds` compares
// the per-function statistics with DuckDB by CPU time as well as wall time, round by round (StatsCpuProbe); `-- atfprobe
// rounds [case]` times the ATF open's variants and a plain read of the index files by wall and process CPU time (AtfOpenProbe).
if (args is ["memory"])
    TraceQuery.Benchmarks.MemoryPerEvent.Run();
else if (args is ["jsonmemory", string which])
    TraceQuery.Benchmarks.JsonReadMemory.Run(which);
else if (args is ["jsonprobe", string format, string times, ..])
    TraceQuery.Benchmarks.JsonReadMemory.Probe(format, int.Parse(times, System.Globalization.CultureInfo.InvariantCulture), args.Length > 3 && args[3] == "twopass");
else if (args is ["jsoncpu", string file, string rounds])
    TraceQuery.Benchmarks.JsonCpuProbe.Run(file, int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture));
else if (args is ["statscpu", string statsRounds])
    TraceQuery.Benchmarks.StatsCpuProbe.Run(int.Parse(statsRounds, System.Globalization.CultureInfo.InvariantCulture));
else if (args is ["digest", ..])
    TraceQuery.Benchmarks.TraceDigest.Run(args.Skip(1));
else if (args is ["atfprobe", string probeRounds, ..])
    TraceQuery.Benchmarks.AtfOpenProbe.Run(int.Parse(probeRounds, System.Globalization.CultureInfo.InvariantCulture), args.Length > 2 ? args[2] : null);
else if (args is ["phases", ..])
    TraceQuery.Benchmarks.FirstCallPhases.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5);
else
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
