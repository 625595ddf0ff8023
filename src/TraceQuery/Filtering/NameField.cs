namespace TraceQuery.Filtering;

/// <summary>Which name a <see cref="NameTerm"/> tests.</summary>
public enum NameField
{
    /// <summary><c>fn:</c> — the function's name.</summary>
    Function,

    /// <summary><c>module:</c> — the module's file name (last path segment) or full path.</summary>
    Module,
}
