// Recorded by record.sh into asyncwork.nettrace: async work on the thread pool (ChecksumAsync does CPU work
// between awaits), an EventSource with start/stop activities (Fixture-Requests: Request/Start, Request/Stop),
// a caught exception with a message from OrderStore.Load and GC pressure.
using System.Diagnostics.Tracing;
using System.Runtime.CompilerServices;

var tasks = new List<Task<long>>();
for (int request = 0; request < 4; request++)
{
    tasks.Add(Handler.HandleAsync(request));
}
long[] results = await Task.WhenAll(tasks);
Console.WriteLine($"checksums {string.Join(',', results)}");

sealed class RequestEvents : EventSource
{
    public static readonly RequestEvents Log = new();

    private RequestEvents() : base("Fixture-Requests") { }

    [Event(1, Opcode = EventOpcode.Start)]
    public void RequestStart(int id) => WriteEvent(1, id);

    [Event(2, Opcode = EventOpcode.Stop)]
    public void RequestStop(int id) => WriteEvent(2, id);
}

static class Handler
{
    public static async Task<long> HandleAsync(int request)
    {
        await Task.Yield();
        RequestEvents.Log.RequestStart(request);
        long checksum = 0;
        for (int step = 0; step < 3; step++)
        {
            checksum += Checksum.Compute(request, 3_000_000);
            await Task.Delay(20);
            Garbage.Churn();
        }
        try
        {
            OrderStore.Load(request);
        }
        catch (KeyNotFoundException exception)
        {
            Console.WriteLine($"caught: {exception.Message}");
        }
        RequestEvents.Log.RequestStop(request);
        return checksum;
    }
}

static class Checksum
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long Compute(int seed, int count)
    {
        long sum = seed;
        for (int i = 0; i < count; i++)
        {
            sum = (sum * 31 + i) % 1_000_000_007;
        }
        return sum;
    }
}

static class OrderStore
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Load(int request) =>
        throw new KeyNotFoundException($"order {request} is not in the store");
}

static class Garbage
{
    public static object? Keep;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Churn()
    {
        for (int i = 0; i < 3_000; i++)
        {
            Keep = new int[4_096];
        }
    }
}
