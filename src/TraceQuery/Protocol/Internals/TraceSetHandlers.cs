using System.Text.Json;
using TraceQuery.Fleet;

namespace TraceQuery.Protocol.Internals;

/// <summary>
/// The methods over more than one trace: <c>traces.fleet</c> (a folder under the trace root, one budgeted answer) and
/// <c>traces.diff</c> (two traces, by name). Each maps parameters to one engine call; trace names are resolved inside the
/// root like <c>trace</c> is, and an error names the parameter that was wrong.
/// </summary>
internal sealed class TraceSetHandlers(QueryEngine engine, TraceQueryServerOptions options, Func<string, TraceCache.Lease> acquire)
{
    public static bool Handles(string method) => method is TraceQueryMethods.TracesFleet or TraceQueryMethods.TracesDiff;

    public QueryResult Handle(string method, RequestContext request, RequestParams p) =>
        method == TraceQueryMethods.TracesFleet ? SummarizeFleet(request, p) : DiffRuns(request, p);

    private QueryResult SummarizeFleet(RequestContext request, RequestParams p)
    {
        string root = options.TraceRoot ?? throw RequestParams.Invalid("folder", "needs a server with a trace root (TraceQueryServerOptions.TraceRoot)");
        string folder = (p.String("folder") ?? ".").Replace('\\', '/').TrimEnd('/');
        if (folder.Length == 0)
            folder = ".";
        string path = Resolve(root, folder, "folder");
        if (!Directory.Exists(path))
            throw RequestParams.Invalid("folder", $"'{folder}' is not a folder under the server's trace root");
        var set = TraceSet.FromPath(path);
        // Every trace the set lists must stay inside the root too (a session's files may be links).
        foreach (var entry in set.Entries)
            Resolve(root, folder == "." ? entry.Name : folder + "/" + entry.Name, "folder");
        var fleet = new FleetOptions
        {
            Filter = p.String("filter"),
            Model = request.Model,
            TraceNamePrefix = folder == "." ? "" : folder + "/",
        };
        string name = folder == "." ? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root))) : folder;
        return engine.RunFleet(set, request.Budget, fleet, request.Cursor, name, request.Cancellation);
    }

    private QueryResult DiffRuns(RequestContext request, RequestParams p)
    {
        string baselineName = p.RequiredString("baseline");
        string candidateName = p.RequiredString("candidate");
        var thresholds = new RunDiffOptions
        {
            MinRelativeChange = Share(p, "min_relative") ?? RunDiffOptions.Default.MinRelativeChange,
            MinAbsoluteChangeNs = p.Duration("min_absolute") ?? RunDiffOptions.Default.MinAbsoluteChangeNs,
            MinCalls = p.Int("min_calls", 1, int.MaxValue) ?? RunDiffOptions.Default.MinCalls,
            MinCountChange = p.Int("min_count", 0, int.MaxValue) ?? RunDiffOptions.Default.MinCountChange,
            MinSampledShareChange = Share(p, "min_share") ?? RunDiffOptions.Default.MinSampledShareChange,
            MinCpuSamples = p.Int("min_samples", 1, int.MaxValue) ?? RunDiffOptions.Default.MinCpuSamples,
            Model = request.Model,
        };
        using var baseline = Acquire(baselineName, "baseline");
        using var candidate = Acquire(candidateName, "candidate");
        return engine.RunDiff(baseline.Trace, candidate.Trace, request.Budget, thresholds, request.Cursor, baselineName, candidateName, request.Cancellation);
    }

    private TraceCache.Lease Acquire(string name, string parameter)
    {
        try
        {
            return acquire(name);
        }
        catch (RpcException e) when (e.Parameter == "trace")
        {
            throw Renamed(e, parameter);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
        {
            throw RequestParams.Invalid(parameter, e.Message);
        }
    }

    private static string Resolve(string root, string name, string parameter)
    {
        try
        {
            return TracePaths.Resolve(root, name);
        }
        catch (RpcException e) when (e.Parameter == "trace")
        {
            throw Renamed(e, parameter);
        }
    }

    private static RpcException Renamed(RpcException e, string parameter) =>
        new(e.Code, e.Message.Replace("'trace'", $"'{parameter}'", StringComparison.Ordinal), parameter);

    private static double? Share(RequestParams p, string name)
    {
        if (!p.TryGet(name, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double share) || !double.IsFinite(share) || share < 0)
            throw RequestParams.Invalid(name, $"must be a number, 0 or more (0.25 = 25%), not {value.GetRawText()}");
        return share;
    }
}
