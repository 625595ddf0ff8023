using BenchmarkDotNet.Running;

// Run all with `dotnet run -c Release -- --filter '*'`; set TRACEQUERY_BENCH_EVENTS for a quick, smaller run.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
