namespace TraceQuery.Model;

/// <summary>What an index event records: entering a function, leaving it, or an exception in it.</summary>
public enum EventKind : uint
{
    /// <summary>A function was entered.</summary>
    Call = 1,

    /// <summary>A function returned; the event carries the depth of the CALL it closes.</summary>
    Return = 2,

    /// <summary>An exception was raised in the frame the event names (function and depth of that frame).</summary>
    Exception = 3,
}
