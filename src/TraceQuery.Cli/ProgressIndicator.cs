using System.Diagnostics;
using System.Globalization;

namespace TraceQuery.Cli;

/// <summary>
/// A one-line activity indicator on stderr for slow steps (loading a large trace, answering over it). It
/// appears only after a short delay, redraws in place, and erases itself when disposed; a disabled
/// indicator (stderr redirected) writes nothing at all.
/// </summary>
internal sealed class ProgressIndicator : IDisposable
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(150);
    private static readonly string[] Frames = ["|", "/", "-", "\\"];

    private readonly TextWriter _error;
    private readonly Timer? _timer;
    private readonly object _gate = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private string _step;
    private int _frame;
    private int _drawnWidth;
    private bool _disposed;

    /// <summary>Starts an indicator for <paramref name="step"/>; nothing is drawn unless <paramref name="enabled"/>.</summary>
    public ProgressIndicator(TextWriter error, bool enabled, string step)
        : this(error, enabled, step, Delay)
    {
    }

    /// <summary>As the public constructor, with the delay before the first drawing given (tests).</summary>
    internal ProgressIndicator(TextWriter error, bool enabled, string step, TimeSpan delay)
    {
        _error = error;
        _step = step;
        if (enabled)
            _timer = new Timer(_ => Draw(), null, delay, Interval);
    }

    /// <summary>True once something was drawn (tests).</summary>
    internal bool HasDrawn
    {
        get
        {
            lock (_gate)
                return _drawnWidth > 0;
        }
    }

    /// <summary>Names the step now under way.</summary>
    public void Step(string step)
    {
        lock (_gate)
            _step = step;
    }

    private void Draw()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            double seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
            string line = $"{Frames[_frame++ % Frames.Length]} {_step} {seconds.ToString("0.0", CultureInfo.InvariantCulture)} s";
            _error.Write("\r" + line.PadRight(_drawnWidth));
            _error.Flush();
            _drawnWidth = Math.Max(_drawnWidth, line.Length);
        }
    }

    /// <summary>Stops the indicator and erases what it drew.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            _timer?.Dispose();
            if (_drawnWidth > 0)
            {
                _error.Write("\r" + new string(' ', _drawnWidth) + "\r");
                _error.Flush();
            }
        }
    }
}
