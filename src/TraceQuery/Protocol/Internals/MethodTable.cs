using System.Collections.Frozen;

namespace TraceQuery.Protocol.Internals;

/// <summary>The one table from a method name (<see cref="RequestMethods"/>) to its handler: bind the parameters, call the façade.</summary>
internal sealed class MethodTable
{
    private readonly FrozenDictionary<string, MethodHandler> _handlers;

    public MethodTable(QueryEngine engine, int maxRegexLength)
    {
        var bind = new RequestBinder(maxRegexLength);
        _handlers = new Dictionary<string, MethodHandler>(StringComparer.Ordinal)
        {
            [RequestMethods.TraceInfo] = (t, p, c) => engine.AnswerInfo(t, bind.Info(p, c), c.Cancellation),
            [RequestMethods.Query] = (t, p, c) => engine.AnswerQuery(t, bind.Query(p, c), c.Cancellation),
            [RequestMethods.NarrationSummary] = (t, p, c) => engine.AnswerSummary(t, bind.Summary(p, c), c.Cancellation),
            [RequestMethods.FindingsSearch] = (t, p, c) => engine.AnswerFindings(t, bind.Findings(p, c), c.Cancellation),
            [RequestMethods.SpansList] = (t, p, c) => engine.AnswerSpans(t, bind.Spans(p, c), c.Cancellation),
            [RequestMethods.StatsFunctionsTopN] = (t, p, c) => engine.AnswerTopFunctions(t, bind.TopFunctions(p, c), c.Cancellation),
            [RequestMethods.EventsGet] = (t, p, c) => engine.AnswerEvents(t, bind.Events(p, c), c.Cancellation),
            [RequestMethods.SearchScoped] = (t, p, c) => engine.AnswerScoped(t, bind.Scoped(p, c), c.Cancellation),
            [RequestMethods.PlanKeySymbols] = (t, p, c) => engine.AnswerKeySymbols(t, bind.KeySymbols(p, c), c.Cancellation),
        }.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The handler of <paramref name="method"/>, if the server has that method.</summary>
    public bool TryGet(string method, out MethodHandler handler) => _handlers.TryGetValue(method, out handler!);
}
