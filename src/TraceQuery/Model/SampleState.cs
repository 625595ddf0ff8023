namespace TraceQuery.Model;

/// <summary>
/// What a sampled thread was doing when the sample was taken. Only running samples are CPU: a thread-time sampler
/// (<c>dotnet-trace</c>'s <c>dotnet-sampled-thread-time</c>) samples waiting threads too, and a wait method at the top of
/// such a stack is not a hot spot.
/// </summary>
public enum SampleState : byte
{
    /// <summary>The producer did not say; analysis counts the sample as CPU.</summary>
    Unknown = 0,

    /// <summary>The thread was on a CPU (a CPU sampler's samples, V8 samples other than <c>(idle)</c>).</summary>
    Running = 1,

    /// <summary>The thread was blocked or idle (a wait, a sleep, V8 <c>(idle)</c>); not CPU time.</summary>
    Waiting = 2,
}
