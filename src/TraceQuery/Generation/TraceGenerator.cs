using TraceQuery.Model;

namespace TraceQuery.Generation;

/// <summary>
/// Produces realistic, deterministic traces for tests, benchmarks and demos: nested calls across three
/// modules on N threads, following the original tracer's conventions (thread id = slot, depth 1-based,
/// module ids = FNV-1a of the path), with optional planted anomalies whose culprits are known.
/// </summary>
/// <remarks>
/// Same options, same trace, on every machine: only integer arithmetic and a seeded <see cref="Random"/>.
/// <c>Generate(n)</c> returns exactly <c>n</c> events, except that a single-threaded trace with
/// <see cref="TraceAnomalies.Crash"/> ends at the crash and may hold up to <c>MaxDepth</c> fewer.
/// </remarks>
public static class TraceGenerator
{
    private static readonly (string Path, string[] Functions)[] Modules =
    [
        ("/srv/app/bin/indexer", ["run_indexer", "scan_directory", "hash_file", "read_block", "write_index", "parse_header", "parse_body", "checksum_block", "handle_request", "worker_loop"]),
        ("/srv/app/lib64/libstore.so", ["open_store", "put_record", "flush_pages", "close_store", "wait_for_lock"]),
        ("/srv/app/lib64/libmem.so", ["buffer_alloc", "buffer_free", "memcpy_fast"]),
    ];

    private enum Fn
    {
        RunIndexer, ScanDirectory, HashFile, ReadBlock, WriteIndex, ParseHeader, ParseBody, ChecksumBlock, HandleRequest, WorkerLoop,
        OpenStore, PutRecord, FlushPages, CloseStore, WaitForLock,
        BufferAlloc, BufferFree, MemcpyFast,
        /// <summary>Plan marker: a buffer_alloc / buffer_free pair of leaf calls.</summary>
        AllocFreePair,
    }

    /// <summary>Typical self time of each function in nanoseconds.</summary>
    private static readonly int[] MedianCost =
    [
        500, 2000, 8000, 3000, 1500, 1200, 2500, 400, 1000, 300,
        20000, 1800, 30000, 5000, 600,
        150, 100, 200,
    ];

    private static readonly ulong[] FunctionIds = BuildFunctionIds();

    /// <summary>Generates a clean trace of exactly <paramref name="eventCount"/> events on 4 threads (seed 42).</summary>
    public static ExecutionTrace Generate(int eventCount) => Generate(eventCount, new TraceGeneratorOptions());

    /// <summary>Generates a trace of <paramref name="eventCount"/> events with the given options.</summary>
    public static ExecutionTrace Generate(int eventCount, TraceGeneratorOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(eventCount);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDepth, 2);

        var builder = new TraceBuilder
        {
            Metadata = new TraceMetadata
            {
                SourceFormat = "generated",
                FormatVersion = "2.1",
                Os = TraceOs.Linux,
                Arch = TraceArch.X86_64,
                ClockType = TraceClock.MachContinuous,
            },
        };
        foreach (var (path, functions) in Modules)
        {
            uint moduleId = SymbolTable.ModuleIdFromPath(path);
            builder.AddModule(new ModuleInfo(moduleId, path));
            for (int i = 0; i < functions.Length; i++)
                builder.AddSymbol(new SymbolInfo(SymbolTable.MakeFunctionId(moduleId, (uint)(i + 1)), functions[i]));
        }

        int threads = options.Threads;
        var budgets = new int[threads];
        for (int t = 0; t < threads; t++)
        {
            budgets[t] = (eventCount / threads) + (t < eventCount % threads ? 1 : 0);
            builder.AddThread((uint)t);
        }

        int crashThread = (options.Anomalies & TraceAnomalies.Crash) != 0 ? Math.Min(1, threads - 1) : -1;
        int hangThread = (options.Anomalies & TraceAnomalies.Hang) != 0 ? Math.Min(2, threads - 1) : -1;
        int outlierThread = (options.Anomalies & TraceAnomalies.LatencyOutlier) != 0 ? 0 : -1;

        // The crashing thread goes first so that the events it never wrote go to the others.
        var order = Enumerable.Range(0, threads).ToList();
        if (crashThread > 0)
        {
            order.Remove(crashThread);
            order.Insert(0, crashThread);
        }

        int carry = 0;
        for (int i = 0; i < order.Count; i++)
        {
            int t = order[i];
            var random = new Random(unchecked((options.Seed * 7919) + (t * 104729)));
            var thread = new ThreadGenerator(builder, options, (uint)t, random, budgets[t] + carry)
            {
                Crash = t == crashThread,
                Hang = t == hangThread,
                Outlier = t == outlierThread,
            };
            carry = thread.Run();
        }
        return builder.Build();
    }

    private static ulong[] BuildFunctionIds()
    {
        var ids = new List<ulong>();
        foreach (var (path, functions) in Modules)
        {
            uint moduleId = SymbolTable.ModuleIdFromPath(path);
            for (int i = 0; i < functions.Length; i++)
                ids.Add(SymbolTable.MakeFunctionId(moduleId, (uint)(i + 1)));
        }
        return [.. ids];
    }

    private sealed class ThreadGenerator(TraceBuilder builder, TraceGeneratorOptions options, uint threadId, Random random, int budget)
    {
        private readonly Stack<(Fn Function, Queue<Fn> Plan)> _stack = new();
        private long _now = options.StartTimestampNs + (threadId * 1_500L);
        private readonly int _budget = budget;
        private int _remaining = budget;
        private int _emitted;
        private bool _outlierPlanted;
        private bool _hangPlanted;

        public bool Crash { get; init; }
        public bool Hang { get; init; }
        public bool Outlier { get; init; }

        private bool HotLoop => (options.Anomalies & TraceAnomalies.HotLoop) != 0;
        private bool Leak => (options.Anomalies & TraceAnomalies.Leak) != 0;

        /// <summary>Emits the thread's events; returns how many of its budget it did not use (only after a crash).</summary>
        public int Run()
        {
            var root = threadId == 0 ? Fn.RunIndexer : Fn.WorkerLoop;
            int crashAt = Crash ? _budget * 3 / 5 : int.MaxValue;
            while (_remaining > 0)
            {
                if (Crash && _emitted >= crashAt && _stack.Count > 0 && _remaining >= 2)
                {
                    int depth = _stack.Count + 1;
                    Emit(Fn.ParseHeader, EventKind.Call, depth);
                    Emit(Fn.ParseHeader, EventKind.Exception, depth);
                    return _remaining;
                }
                if (_stack.Count == 0)
                {
                    Push(root);
                    continue;
                }
                var (function, plan) = _stack.Peek();
                if (plan.Count > 0 && _stack.Count < options.MaxDepth)
                {
                    var next = plan.Peek();
                    if (next == Fn.AllocFreePair)
                    {
                        bool leak = Leak && random.Next(4) == 0;
                        int cost = leak ? 2 : 4;
                        if (_remaining - cost >= _stack.Count)
                        {
                            plan.Dequeue();
                            Leaf(Fn.BufferAlloc);
                            if (!leak)
                                Leaf(Fn.BufferFree);
                            continue;
                        }
                    }
                    else if (_remaining - 2 >= _stack.Count)
                    {
                        plan.Dequeue();
                        Push(next);
                        continue;
                    }
                }
                Pop(function);
            }
            return 0;
        }

        private void Push(Fn function)
        {
            if (_remaining == 1)
            {
                // One event left: a call still running when tracing stopped.
                Emit(function, EventKind.Call, _stack.Count + 1);
                _stack.Push((function, new Queue<Fn>()));
                return;
            }
            Emit(function, EventKind.Call, _stack.Count + 1);
            _stack.Push((function, PlanFor(function)));
        }

        private void Pop(Fn function)
        {
            _now += Cost(function);
            if (Outlier && !_outlierPlanted && function == Fn.HashFile && _emitted >= _budget / 2)
            {
                _now += MedianCost[(int)Fn.HashFile] * 400L;
                _outlierPlanted = true;
            }
            if (Hang && !_hangPlanted && function == Fn.WaitForLock && _emitted >= _budget / 2)
            {
                _now += 3_000_000_000L;
                _hangPlanted = true;
            }
            Emit(function, EventKind.Return, _stack.Count);
            _stack.Pop();
        }

        private void Leaf(Fn function)
        {
            int depth = _stack.Count + 1;
            Emit(function, EventKind.Call, depth);
            _now += Cost(function);
            Emit(function, EventKind.Return, depth);
        }

        private long Cost(Fn function)
        {
            int median = MedianCost[(int)function];
            long cost = (median / 2) + random.Next(median);
            if (random.Next(100) < 3)
                cost += random.Next(median * 3);
            return cost;
        }

        private void Emit(Fn function, EventKind kind, int depth)
        {
            _now += 20 + random.Next(80);
            var e = new TraceEvent((ulong)_now, FunctionIds[(int)function], threadId, kind, (uint)depth);
            if (options.WithDetail && function is >= Fn.OpenStore and <= Fn.CloseStore)
            {
                var registers = new ulong[8];
                for (int i = 0; i < registers.Length; i++)
                    registers[i] = (ulong)random.NextInt64();
                byte[] stack = kind == EventKind.Call ? new byte[128] : [];
                random.NextBytes(stack);
                ulong sp = 0x7ffd_0000_0000UL + (ulong)(random.Next(1 << 20) * 16);
                var detail = new FunctionDetail(e.TimestampNs, e.FunctionId, 61204 + (threadId * 15), (uint)kind, (uint)depth,
                    registers, 0x5612_a3c0_1000UL + (ulong)random.Next(1 << 16), sp + 64, sp, stack);
                builder.Add(e, detail.ToPayload(), kind == EventKind.Return ? DetailRecord.FunctionReturnType : DetailRecord.FunctionCallType);
            }
            else
            {
                builder.Add(e);
            }
            _remaining--;
            _emitted++;
        }

        private Queue<Fn> PlanFor(Fn function)
        {
            var plan = new Queue<Fn>();
            void Repeat(Fn callee, int min, int max)
            {
                for (int n = random.Next(min, max + 1); n > 0; n--)
                    plan.Enqueue(callee);
            }
            switch (function)
            {
                case Fn.RunIndexer:
                    plan.Enqueue(Fn.OpenStore);
                    Repeat(Fn.ScanDirectory, 2, 4);
                    plan.Enqueue(Fn.WriteIndex);
                    plan.Enqueue(Fn.FlushPages);
                    plan.Enqueue(Fn.CloseStore);
                    break;
                case Fn.ScanDirectory:
                    Repeat(Fn.HashFile, 1, 3);
                    plan.Enqueue(Fn.AllocFreePair);
                    break;
                case Fn.HashFile:
                    Repeat(Fn.ReadBlock, 1, 3);
                    plan.Enqueue(Fn.ParseHeader);
                    plan.Enqueue(Fn.ParseBody);
                    if (HotLoop)
                        Repeat(Fn.ChecksumBlock, 40, 80);
                    else
                        Repeat(Fn.ChecksumBlock, 0, 1);
                    break;
                case Fn.ReadBlock:
                    plan.Enqueue(Fn.AllocFreePair);
                    plan.Enqueue(Fn.MemcpyFast);
                    break;
                case Fn.ParseHeader:
                    Repeat(Fn.MemcpyFast, 0, 1);
                    break;
                case Fn.ParseBody:
                    Repeat(Fn.MemcpyFast, 0, 2);
                    break;
                case Fn.WriteIndex:
                    Repeat(Fn.PutRecord, 1, 3);
                    break;
                case Fn.PutRecord:
                    plan.Enqueue(Fn.WaitForLock);
                    plan.Enqueue(Fn.MemcpyFast);
                    break;
                case Fn.WorkerLoop:
                    Repeat(Fn.HandleRequest, 2, 5);
                    break;
                case Fn.HandleRequest:
                    plan.Enqueue(Fn.ParseHeader);
                    plan.Enqueue(Fn.ParseBody);
                    if (HotLoop)
                        Repeat(Fn.ChecksumBlock, 10, 30);
                    plan.Enqueue(Fn.PutRecord);
                    plan.Enqueue(Fn.AllocFreePair);
                    break;
            }
            return plan;
        }
    }
}
