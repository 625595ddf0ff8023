using System.Globalization;
using CsCheck;
using TraceQuery.Fuzz;

namespace TraceQuery.Tests.Reliability;

/// <summary>
/// Runs a check over values drawn from a CsCheck generator by one seeded PCG, so every run sees the same
/// cases (no timing, no flakiness). <c>TRACEQUERY_PROPERTY_SCALE=N</c> multiplies the case counts for a
/// deeper local run; the seed can be moved with <c>TRACEQUERY_PROPERTY_SEED</c>.
/// </summary>
internal static class Property
{
    /// <summary>How long one case may take before it counts as a hang.</summary>
    public static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(20);

    public static int Scale { get; } = int.TryParse(Environment.GetEnvironmentVariable("TRACEQUERY_PROPERTY_SCALE"), NumberStyles.None, CultureInfo.InvariantCulture, out int scale) && scale > 0 ? scale : 1;

    private static readonly ulong SeedOffset = ulong.TryParse(Environment.GetEnvironmentVariable("TRACEQUERY_PROPERTY_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out ulong offset) ? offset : 0;

    /// <summary>Runs <paramref name="check"/> on <paramref name="count"/> × <see cref="Scale"/> generated values; a failure names the case and prints it.</summary>
    public static void ForAll<T>(Gen<T> gen, int count, ulong seed, Action<T> check, Func<T, string> print)
    {
        var pcg = new PCG(1, seed + SeedOffset);
        for (int i = 0; i < count * Scale; i++)
        {
            var value = gen.Generate(pcg, null, out _);
            try
            {
                check(value);
            }
            catch (Exception e) when (e is not AssertFailedException)
            {
                throw new AssertFailedException($"case {i} (seed {seed + SeedOffset}) failed with {e.GetType().Name}: {e.Message}\ninput: {Shorten(print(value))}", e);
            }
        }
    }

    /// <summary>Runs a fuzz target on one input with a hang guard; returns its outcome and lets findings escape.</summary>
    public static FuzzOutcome Run(Func<byte[], FuzzOutcome> target, byte[] input)
    {
        var task = Task.Run(() => target(input));
        if (!task.Wait(CaseTimeout))
            throw new TimeoutException($"the input did not finish within {CaseTimeout.TotalSeconds} s (a hang)");
        return task.GetAwaiter().GetResult();
    }

    /// <summary>Tallies outcomes for the assertions that every class of outcome was reached.</summary>
    public sealed class Tally
    {
        private readonly int[] _counts = new int[3];

        public void Add(FuzzOutcome outcome) => _counts[(int)outcome]++;

        public int this[FuzzOutcome outcome] => _counts[(int)outcome];

        public int Total => _counts.Sum();

        public override string ToString() => $"{Total} cases: {this[FuzzOutcome.Accepted]} accepted, {this[FuzzOutcome.Recovered]} recovered, {this[FuzzOutcome.Rejected]} rejected";
    }

    private static string Shorten(string text) => text.Length > 2000 ? text[..2000] + "…" : text;
}
