// Recorded by record.sh into hotloop.nettrace: one thread spends most of its time in a hot loop
// (HotLoop.SumOfSquareRoots, called from HotLoop.Run), a second in a hash loop, with a caught exception
// with a message thrown from ConfigParser.ParseTimeout and GC pressure from AllocateGarbage.
using System.Runtime.CompilerServices;

Thread.CurrentThread.Name = "main";
var worker = new Thread(HashWorker.Run) { Name = "hash-worker" };
worker.Start();
double total = 0;
for (int round = 0; round < 6; round++)
{
    total += HotLoop.Run(round);
    try
    {
        ConfigParser.ParseTimeout("timeout=soon");
    }
    catch (FormatException exception)
    {
        Console.WriteLine($"caught: {exception.Message}");
    }
    Garbage.AllocateGarbage(round);
}
worker.Join();
Console.WriteLine($"total {total:F1} hash {HashWorker.Result}");

static class HotLoop
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static double Run(int round) => SumOfSquareRoots(25_000_000 + round);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static double SumOfSquareRoots(int count)
    {
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += Math.Sqrt(i) * 1.0000001;
        }
        return sum;
    }
}

static class HashWorker
{
    public static ulong Result;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Run()
    {
        for (int round = 0; round < 4; round++)
        {
            Result ^= MixHash(12_000_000 + round);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong MixHash(int count)
    {
        ulong hash = 14695981039346656037;
        for (int i = 0; i < count; i++)
        {
            hash = (hash ^ (ulong)i) * 1099511628211;
        }
        return hash;
    }
}

static class ConfigParser
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int ParseTimeout(string setting)
    {
        string value = setting.Split('=')[1];
        if (!int.TryParse(value, out int seconds))
        {
            throw new FormatException($"timeout must be a number of seconds, got '{value}'");
        }
        return seconds;
    }
}

static class Garbage
{
    public static object? Keep;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void AllocateGarbage(int round)
    {
        for (int i = 0; i < 2_000; i++)
        {
            Keep = new byte[16_384 + round];
        }
        GC.Collect(0);
    }
}
