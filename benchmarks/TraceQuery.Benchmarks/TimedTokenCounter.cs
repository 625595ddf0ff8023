using System.Diagnostics;
using TraceQuery.Text;

namespace TraceQuery.Benchmarks;

/// <summary>
/// An <see cref="ITokenCounter"/> that forwards to another one and adds up the time spent inside it, so a
/// benchmark can tell how much of a query went to tokenization. Optionally records every call for replay.
/// Thread-safe for the totals; recording is meant for one query at a time.
/// </summary>
public sealed class TimedTokenCounter(ITokenCounter inner) : ITokenCounter
{
    private long _elapsedTicks;
    private long _calls;
    private long _characters;
    private List<TokenizerCall>? _recording;

    /// <inheritdoc/>
    public string Model => inner.Model;

    /// <summary>The counter that does the work.</summary>
    public ITokenCounter Inner => inner;

    /// <summary>Time spent in <see cref="Inner"/> since the last <see cref="Reset"/>, in <see cref="Stopwatch"/> ticks.</summary>
    public long ElapsedTicks => Interlocked.Read(ref _elapsedTicks);

    /// <summary>Calls since the last <see cref="Reset"/>.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Characters handed to the tokenizer since the last <see cref="Reset"/>.</summary>
    public long Characters => Interlocked.Read(ref _characters);

    /// <summary>Zeroes the totals.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _elapsedTicks, 0);
        Interlocked.Exchange(ref _calls, 0);
        Interlocked.Exchange(ref _characters, 0);
    }

    /// <summary>Starts keeping every call (text and token limit) until <see cref="StopRecording"/>.</summary>
    public void StartRecording() => _recording = [];

    /// <summary>The calls made since <see cref="StartRecording"/>, in order.</summary>
    public TokenizerCall[] StopRecording()
    {
        TokenizerCall[] calls = [.. _recording ?? []];
        _recording = null;
        return calls;
    }

    /// <inheritdoc/>
    public int CountTokens(string text)
    {
        _recording?.Add(new TokenizerCall(text, -1));
        long start = Stopwatch.GetTimestamp();
        int count = inner.CountTokens(text);
        Add(start, text);
        return count;
    }

    /// <inheritdoc/>
    public int GetPrefixLengthWithinTokens(string text, int maxTokens, out int tokenCount)
    {
        _recording?.Add(new TokenizerCall(text, maxTokens));
        long start = Stopwatch.GetTimestamp();
        int length = inner.GetPrefixLengthWithinTokens(text, maxTokens, out tokenCount);
        Add(start, text);
        return length;
    }

    private void Add(long start, string text)
    {
        Interlocked.Add(ref _elapsedTicks, Stopwatch.GetTimestamp() - start);
        Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _characters, text?.Length ?? 0);
    }
}
