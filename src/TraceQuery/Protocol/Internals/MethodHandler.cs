using TraceQuery.Model;

namespace TraceQuery.Protocol.Internals;

/// <summary>Answers one method: binds the JSON parameters to the method's typed request and calls its façade entry point.</summary>
internal delegate QueryResult MethodHandler(ExecutionTrace trace, RequestParams parameters, RequestContext context);
