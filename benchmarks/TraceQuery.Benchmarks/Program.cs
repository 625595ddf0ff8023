using BenchmarkDotNet.Running;

// Run all with `dotnet run -c Release -- --filter '*'`; set TRACEQUERY_BENCH_EVENTS for a quick, smaller run.
// `-- memory` prints the managed memory held per event instead (MemoryPerEvent).
if (args is ["memory"])
    TraceQuery.Benchmarks.MemoryPerEvent.Run();
else
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
