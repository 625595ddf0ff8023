using System.Diagnostics.Metrics;

namespace TraceQuery.Tests.Telemetry;

/// <summary>
/// Listens to the <c>TraceQuery</c> meter created by one <see cref="IMeterFactory"/> (so measurements of other tests
/// and of the process-wide meter never leak in) and keeps every measurement with its tags.
/// </summary>
internal sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<Measurement> _measurements = [];

    public MeasurementRecorder(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == TraceQueryTelemetry.MeterName && ReferenceEquals(instrument.Meter.Scope, scope))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);

    /// <summary>Measurements of <paramref name="instrument"/>, in the order they were recorded.</summary>
    public IReadOnlyList<Measurement> Of(string instrument)
    {
        lock (_measurements)
            return [.. _measurements.Where(m => m.Instrument == instrument)];
    }

    /// <summary>The sum of <paramref name="instrument"/>'s measurements.</summary>
    public double Sum(string instrument) => Of(instrument).Sum(m => m.Value);

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
            copy[tag.Key] = tag.Value;
        lock (_measurements)
            _measurements.Add(new Measurement(instrument.Name, value, copy));
    }

    public void Dispose() => _listener.Dispose();
}
