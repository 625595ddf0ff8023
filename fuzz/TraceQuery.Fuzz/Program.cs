using SharpFuzz;
using TraceQuery.Fuzz;

// dotnet TraceQuery.Fuzz.dll <target>                  run under afl-fuzz (fuzz/run.sh starts it)
// dotnet TraceQuery.Fuzz.dll seed <directory>          write the seed corpus of every target
// dotnet TraceQuery.Fuzz.dll replay <target> <file>…   run files through a target and print the outcome
if (args.Length >= 2 && args[0] == "seed")
{
    SeedCorpus.Write(args[1]);
    return 0;
}
if (args.Length >= 3 && args[0] == "replay")
{
    var replayTarget = Target(args[1]);
    int failures = 0;
    foreach (string file in args.Skip(2))
    {
        try
        {
            Console.WriteLine($"{file}: {replayTarget(File.ReadAllBytes(file))}");
        }
        catch (Exception e)
        {
            failures++;
            Console.WriteLine($"{file}: FINDING {e.GetType().FullName}: {e.Message}");
            Console.WriteLine(e.StackTrace);
        }
    }
    return failures == 0 ? 0 : 1;
}
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: TraceQuery.Fuzz <target> | seed <directory> | replay <target> <file>…; targets: " + string.Join(", ", FuzzTargets.All.Keys));
    return 2;
}
var target = Target(args[0]);
Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.ToArray());
});
return 0;

static Func<byte[], FuzzOutcome> Target(string name) =>
    FuzzTargets.All.TryGetValue(name, out var target)
        ? target
        : throw new ArgumentException($"unknown target '{name}'; targets: {string.Join(", ", FuzzTargets.All.Keys)}");
