namespace TraceQuery.Model;

/// <summary>Operating system a trace was recorded on (ATF header byte 7).</summary>
public enum TraceOs : byte
{
    /// <summary>Not recorded or not known.</summary>
    Unknown = 0,
    /// <summary>iOS.</summary>
    IOS = 1,
    /// <summary>Android.</summary>
    Android = 2,
    /// <summary>macOS.</summary>
    MacOS = 3,
    /// <summary>Linux.</summary>
    Linux = 4,
    /// <summary>Windows.</summary>
    Windows = 5,
}
