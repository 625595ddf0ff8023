using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using TraceQuery.Filtering;
using TraceQuery.Formats;
using TraceQuery.Model;
using TraceQuery.Protocol.Internals;
using TraceQuery.Summaries;
using TraceQuery.Text;

namespace TraceQuery.Protocol;

/// <summary>
/// The request handler behind every way agents reach TraceQuery (in-process hosts, the MCP server, the
/// CLI): JSON-RPC 2.0 (single, batch, notifications) or the bare <c>{method, params}</c> form, parameters
/// in snake_case or camelCase. Errors never escape as exceptions: they come back as JSON-RPC errors with
/// <c>status: "error"</c> and a message an agent can act on. Loaded traces are cached (bounded, least
/// recently used) and shared by concurrent requests. Each request is one query on the engine's meter and
/// activity source (<see cref="TraceQueryTelemetry"/>), tagged with its method.
/// </summary>
public sealed class TraceQueryServer : IAsyncDisposable, IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly JsonDocumentOptions _documentOptions;
    private readonly MethodTable _methods;
    private readonly TraceSetHandlers _traceSets;
    private readonly QueryInstruments _instruments;
    private readonly ILogger _logger;
    private readonly TraceCache _cache;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _shutdown = new();
    private int _inFlight;
    private volatile bool _started;
    private volatile bool _stopped;

    /// <summary>Creates a server over <paramref name="queryEngine"/>.</summary>
    /// <param name="queryEngine">Answers the requests; its meter and logger record them too.</param>
    /// <param name="options">Limits and trace root; null for the defaults.</param>
    /// <param name="logger">Receives a Debug line per request and a Warning per internal error; null uses the engine's logger.</param>
    public TraceQueryServer(QueryEngine queryEngine, TraceQueryServerOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(queryEngine);
        Options = options ?? new TraceQueryServerOptions();
        ValidateOptions(Options);
        _documentOptions = new JsonDocumentOptions { MaxDepth = Math.Min(Options.MaxJsonDepth, 1000) };
        _methods = new MethodTable(queryEngine, Options.MaxRegexLength);
        _traceSets = new TraceSetHandlers(queryEngine, Options, name => Acquire(name, name, progress: null));
        _instruments = queryEngine.Instruments;
        _logger = logger ?? queryEngine.Logger;
        _cache = new TraceCache(Options.MaxCachedTraces, Options.ReadOptions, Options.JsonReadOptions, _instruments);
        _slots = new SemaphoreSlim(Options.MaxConcurrentRequests, Options.MaxConcurrentRequests);
    }

    private static void ValidateOptions(TraceQueryServerOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrentRequests, 1, nameof(options.MaxConcurrentRequests));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxCachedTraces, 1, nameof(options.MaxCachedTraces));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxResponseBytes, 1, nameof(options.MaxResponseBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRequestBytes, 1, nameof(options.MaxRequestBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxJsonDepth, 1, nameof(options.MaxJsonDepth));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxStringLength, 1, nameof(options.MaxStringLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRegexLength, 1, nameof(options.MaxRegexLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DefaultTokenBudget, 1, nameof(options.DefaultTokenBudget));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTokenBudget, 1, nameof(options.MaxTokenBudget));
        ArgumentNullException.ThrowIfNull(options.ReadOptions, nameof(options.ReadOptions));
        options.ReadOptions.Validate();
        ArgumentNullException.ThrowIfNull(options.JsonReadOptions, nameof(options.JsonReadOptions));
        if (options.RequestTimeout <= TimeSpan.Zero && options.RequestTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(options), options.RequestTimeout, "RequestTimeout must be positive, or Timeout.InfiniteTimeSpan for no limit.");
    }

    /// <summary>The server's limits and trace root.</summary>
    public TraceQueryServerOptions Options { get; }

    /// <summary>The methods the server answers.</summary>
    public static IReadOnlyList<string> Methods { get; } = TraceQueryMethods.All;

    /// <summary>Traces currently loaded in the cache.</summary>
    public int CachedTraceCount => _cache.Count;

    /// <summary>Requests being answered right now (each holds a lease on its trace until it ends, by answer, error or cancellation).</summary>
    public int RequestsInFlight => Volatile.Read(ref _inFlight);

    /// <summary>Starts serving. Requests before this call are refused.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_stopped, this);
        _started = true;
        return Task.CompletedTask;
    }

    /// <summary>Stops taking requests, cancels those in flight, waits for them, and releases cached traces.</summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken = default)
    {
        if (_stopped)
            return;
        _stopped = true;
        await _shutdown.CancelAsync().ConfigureAwait(false);
        while (Volatile.Read(ref _inFlight) > 0)
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        _cache.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await ShutdownAsync().ConfigureAwait(false);
        _shutdown.Dispose();
        _slots.Dispose();
    }

    /// <summary>
    /// As <see cref="DisposeAsync"/>, blocking until requests in flight have stopped; for hosts (or a DI container) that
    /// dispose synchronously.
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Makes an in-memory trace (a recorder snapshot, a generated trace) answerable under <paramref name="name"/>.</summary>
    public void RegisterTrace(string name, ExecutionTrace trace)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(trace);
        _cache.Register(name, trace);
    }

    /// <summary>
    /// Handles one request (or batch) given as JSON text and returns the response text; empty for a
    /// notification or a batch of notifications. Never throws for bad input.
    /// </summary>
    public Task<string> HandleRequestAsync(string request, CancellationToken cancellationToken = default) =>
        HandleRequestAsync(request, progress: null, cancellationToken);

    /// <summary>
    /// As <see cref="HandleRequestAsync(string, CancellationToken)"/>, reporting each stage of the work to <paramref name="progress"/>:
    /// reading the trace (bytes), pairing its calls into spans, answering. Every stage reports at least once, even when the
    /// trace is already loaded, so a caller can rely on seeing each one.
    /// </summary>
    public async Task<string> HandleRequestAsync(string request, IProgress<TraceQueryProgress>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Cheap bound first (a char is at most 3 UTF-8 bytes), exact count only near the limit.
        if ((long)request.Length * 3 > Options.MaxRequestBytes && Encoding.UTF8.GetByteCount(request) > Options.MaxRequestBytes)
        {
            return ErrorResponse(new Envelope(JsonRpc: true, Id: null), new RpcException(RpcException.InvalidRequest,
                $"Invalid request: it is {Encoding.UTF8.GetByteCount(request):N0} bytes, above the server's limit of {Options.MaxRequestBytes:N0}; send a shorter request."));
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(request, _documentOptions);
        }
        catch (JsonException e)
        {
            return ErrorResponse(new Envelope(JsonRpc: true, Id: null), new RpcException(RpcException.ParseError,
                $"Parse error: the request is not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}): {e.Message}"));
        }
        using (document)
            return await HandleElementAsync(document.RootElement, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Handles one request (or batch) given as a JSON element.</summary>
    public Task<string> HandleRequestAsync(JsonElement request, CancellationToken cancellationToken = default) =>
        HandleElementAsync(request, progress: null, cancellationToken);

    private async Task<string> HandleElementAsync(JsonElement request, IProgress<TraceQueryProgress>? progress, CancellationToken cancellationToken)
    {
        if (request.ValueKind == JsonValueKind.Array)
        {
            if (request.GetArrayLength() == 0)
                return ErrorResponse(new Envelope(true, null), new RpcException(RpcException.InvalidRequest, "Invalid request: an empty batch."));
            var responses = new List<string>();
            foreach (var item in request.EnumerateArray())
            {
                string response = await HandleSingleAsync(item, progress, cancellationToken).ConfigureAwait(false);
                if (response.Length > 0)
                    responses.Add(response);
            }
            return responses.Count == 0 ? "" : "[" + string.Join(",", responses) + "]";
        }
        return await HandleSingleAsync(request, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Serves newline-delimited JSON-RPC over a stream pair until <paramref name="input"/> ends or the
    /// token is cancelled. A malformed line gets an error response; the next line is served as usual.
    /// </summary>
    public async Task RunAsync(Stream input, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        using var reader = new StreamReader(input, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n", AutoFlush = true };
        while (!cancellationToken.IsCancellationRequested)
        {
            string? line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
                break;
            if (line.Length == 0 || line.All(char.IsWhiteSpace))
                continue;
            string response = await HandleRequestAsync(line, cancellationToken).ConfigureAwait(false);
            if (response.Length > 0)
                await writer.WriteLineAsync(response.AsMemory(), cancellationToken).ConfigureAwait(false);
        }
    }

    private readonly record struct Envelope(bool JsonRpc, JsonElement? Id, bool Notification = false);

    private async Task<string> HandleSingleAsync(JsonElement request, IProgress<TraceQueryProgress>? progress, CancellationToken cancellationToken)
    {
        var envelope = new Envelope(true, null);
        try
        {
            if (request.ValueKind != JsonValueKind.Object)
                throw new RpcException(RpcException.InvalidRequest, "Invalid request: expected a JSON object with \"method\" and \"params\".");
            bool jsonRpc = request.TryGetProperty("jsonrpc", out var version);
            JsonElement? id = null;
            bool notification = false;
            if (jsonRpc)
            {
                if (version.ValueKind != JsonValueKind.String || !version.ValueEquals("2.0"))
                    throw new RpcException(RpcException.InvalidRequest, "Invalid request: \"jsonrpc\" must be \"2.0\".");
                if (request.TryGetProperty("id", out var idElement))
                {
                    if (idElement.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
                        throw new RpcException(RpcException.InvalidRequest, "Invalid request: \"id\" must be a string, a number or null.");
                    id = idElement.Clone();
                }
                else
                {
                    notification = true;
                }
            }
            envelope = new Envelope(jsonRpc, id, notification);
            if (!request.TryGetProperty("method", out var methodElement) || methodElement.ValueKind != JsonValueKind.String)
                throw new RpcException(RpcException.InvalidRequest, "Invalid request: \"method\" must be a string naming one of: " + string.Join(", ", Methods) + ".");
            string method = RequestParams.Text(methodElement, "method");
            JsonElement? parameters = null;
            if (request.TryGetProperty("params", out var paramsElement) && paramsElement.ValueKind != JsonValueKind.Null)
            {
                if (paramsElement.ValueKind != JsonValueKind.Object)
                    throw new RpcException(RpcException.InvalidParams, "Invalid params: \"params\" must be an object of named parameters.", "params");
                parameters = paramsElement;
            }
            if (!_methods.TryGet(method, out var handler) && !TraceSetHandlers.Handles(method))
                throw new RpcException(RpcException.MethodNotFound, $"Method not found: '{method}'. Methods: {string.Join(", ", Methods)}.");

            var result = await MeasuredDispatchAsync(method, handler, new RequestParams(parameters, Options.MaxStringLength), progress, cancellationToken).ConfigureAwait(false);
            if (notification)
                return "";
            string response = SuccessResponse(envelope, result);
            if (Encoding.UTF8.GetByteCount(response) > Options.MaxResponseBytes)
            {
                throw new RpcException(RpcException.ResponseTooLarge,
                    $"The response would be {Encoding.UTF8.GetByteCount(response):N0} bytes, above the server's limit of {Options.MaxResponseBytes:N0}; ask for a smaller token_budget or limit.");
            }
            return response;
        }
        catch (RpcException e)
        {
            return envelope.Notification ? "" : ErrorResponse(envelope, e);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Last line of defence: whatever escaped the checks above still gets an answer, never a throw.
            var error = new RpcException(RpcException.InternalError, $"Internal error while reading the request: {e.GetType().Name}: {e.Message}");
            return envelope.Notification ? "" : ErrorResponse(envelope, error);
        }
    }

    private sealed record MethodResult(QueryResult Result, bool Clamped, int RequestedBudget);

    private async Task<MethodResult> MeasuredDispatchAsync(string method, MethodHandler handler, RequestParams p, IProgress<TraceQueryProgress>? progress, CancellationToken cancellationToken)
    {
        var scope = _instruments.Start(method);
        MethodResult result;
        try
        {
            result = await DispatchAsync(method, handler, p, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            string errorType = e.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
            scope.Fail(errorType);
            if (e.Code == RpcException.InternalError)
                QueryLog.InternalError(_logger, method, e.Message);
            else
                QueryLog.QueryRejected(_logger, method, scope.Elapsed.TotalMilliseconds, errorType, e.Message);
            throw;
        }
        scope.Complete(result.Result);
        var answer = result.Result;
        QueryLog.QueryAnswered(_logger, method, scope.Elapsed.TotalMilliseconds, answer.EventsMatched, answer.EventsProcessed, answer.TokenCount, answer.TokenBudget, answer.DidTruncate);
        return result;
    }

    private async Task<MethodResult> DispatchAsync(string method, MethodHandler handler, RequestParams p, IProgress<TraceQueryProgress>? progress, CancellationToken cancellationToken)
    {
        if (!_started || _stopped)
            throw new RpcException(RpcException.InternalError, _stopped ? "The server is shutting down." : "The server has not been started (call StartAsync).");
        if (cancellationToken.IsCancellationRequested)
            throw new RpcException(RpcException.RequestCancelled, "Request cancelled by the client.");
        if (!_slots.Wait(0, CancellationToken.None))
        {
            throw new RpcException(RpcException.ServerBusy,
                $"Server busy: {Options.MaxConcurrentRequests} requests are already in progress. Retry shortly.");
        }
        Interlocked.Increment(ref _inFlight);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        timeout.CancelAfter(Options.RequestTimeout);
        try
        {
            int requested = p.Int("token_budget", 1, int.MaxValue) ?? Options.DefaultTokenBudget;
            int budget = Math.Min(requested, Options.MaxTokenBudget);
            string traceName = TraceSetHandlers.Handles(method) ? "" : p.String("trace") ?? DefaultTraceName();
            string? cursor = p.String("cursor");
            string? model = p.String("model");
            string displayName = traceName == "." && Options.TraceRoot is { } root
                ? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)))
                : traceName;
            var token = timeout.Token;
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            var result = await Task.Run(() =>
            {
                if (TraceSetHandlers.Handles(method))
                {
                    progress?.Report(new TraceQueryProgress(TraceQueryProgress.AnswerStage, $"answering {method} within {budget} tokens", 0, 0));
                    return _traceSets.Handle(method, new RequestContext(displayName, budget, cursor, model, token), p);
                }
                using var lease = Acquire(traceName, displayName, progress);
                // Loading cannot stop half-way; a cancelled request stops here, and the lease is released on the way out.
                token.ThrowIfCancellationRequested();
                progress?.Report(new TraceQueryProgress(TraceQueryProgress.SpansStage, $"pairing calls into spans over {Text.TextFormat.Count(lease.Trace.EventCount)} events", 0, 0));
                int spans = lease.Trace.Spans.Count;
                progress?.Report(new TraceQueryProgress(TraceQueryProgress.SpansStage, $"{Text.TextFormat.Count(spans)} spans", 0, 0));
                token.ThrowIfCancellationRequested();
                progress?.Report(new TraceQueryProgress(TraceQueryProgress.AnswerStage, $"answering {method} within {budget} tokens", 0, 0));
                var context = new RequestContext(displayName, budget, cursor, model, token);
                var answer = handler(lease.Trace, p, context);
                progress?.Report(new TraceQueryProgress(TraceQueryProgress.AnswerStage, $"answered in {answer.TokenCount} tokens", 0, 0));
                return answer;
            }, token).ConfigureAwait(false);
            // The timer may not have fired on a busy machine: the limit holds either way.
            if ((Options.RequestTimeout != Timeout.InfiniteTimeSpan && System.Diagnostics.Stopwatch.GetElapsedTime(started) > Options.RequestTimeout)
                || cancellationToken.IsCancellationRequested)
                throw new OperationCanceledException();
            return new MethodResult(result, budget < requested, requested);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(RpcException.RequestCancelled, "Request cancelled by the client.");
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
        {
            throw new RpcException(RpcException.InternalError, "The server is shutting down.");
        }
        catch (OperationCanceledException)
        {
            throw new RpcException(RpcException.Timeout, $"The request took longer than the server's limit of {Options.RequestTimeout.TotalSeconds:0.###} s; narrow the filter or the trace.");
        }
        catch (TraceFormatException e)
        {
            throw new RpcException(RpcException.TraceError, "The trace cannot be read: " + e.Message);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
        {
            throw new RpcException(RpcException.InvalidParams, "Invalid params: 'trace' " + e.Message, "trace");
        }
        catch (FilterSyntaxException e)
        {
            throw RequestParams.Invalid("filter", e.Message);
        }
        catch (TokenBudgetException e)
        {
            throw RequestParams.Invalid("token_budget", e.Reason);
        }
        catch (QueryArgumentException e)
        {
            throw RequestParams.Invalid(e.Parameter, e.Reason);
        }
        catch (Exception e) when (e is not RpcException and not OutOfMemoryException)
        {
            throw new RpcException(RpcException.InternalError, $"Internal error while handling {method}: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            _slots.Release();
        }
    }

    /// <summary>The trace a request means when it names none: the only registered trace, or the root when it is itself a session.</summary>
    private string DefaultTraceName()
    {
        if (Options.DefaultTrace is { } configured)
            return configured;
        if (_cache.TryGetOnlyRegistered(out string? only))
            return only;
        if (Options.TraceRoot is { } root && Formats.Atf.AtfReader.IsSession(root))
            return ".";
        throw RequestParams.Invalid("trace", "is required: name a trace session relative to the server's trace root");
    }

    private TraceCache.Lease Acquire(string name, string displayName, IProgress<TraceQueryProgress>? progress)
    {
        if (_cache.TryGetRegistered(name, out var registered))
        {
            progress?.Report(new TraceQueryProgress(TraceQueryProgress.ReadStage, $"{displayName} is in memory", 0, 0));
            return new TraceCache.Lease(_cache, null, registered);
        }
        if (Options.TraceRoot is null)
            throw RequestParams.Invalid("trace", $"'{name}' is not a registered trace and the server has no trace root");
        string path = TracePaths.Resolve(Options.TraceRoot, name);
        if (!Directory.Exists(path) && !File.Exists(path))
            throw RequestParams.Invalid("trace", $"'{name}' does not exist under the server's trace root");
        if (progress is null)
            return _cache.Acquire(path);
        long bytes = TracePaths.SizeInBytes(path);
        bool loaded = _cache.IsLoaded(path);
        progress.Report(new TraceQueryProgress(TraceQueryProgress.ReadStage,
            loaded ? $"{displayName} is already loaded ({Bytes(bytes)})" : $"reading {displayName}: 0 of {Bytes(bytes)}", loaded ? bytes : 0, bytes));
        var lease = _cache.Acquire(path);
        if (!loaded)
            progress.Report(new TraceQueryProgress(TraceQueryProgress.ReadStage, $"read {Bytes(bytes)}: {Text.TextFormat.Count(lease.Trace.EventCount)} events", bytes, bytes));
        return lease;
    }

    private static string Bytes(long bytes) => Text.TextFormat.Count(bytes) + " bytes";

    private static string SuccessResponse(Envelope envelope, MethodResult method) => Respond(envelope, w =>
    {
        var result = method.Result;
        if (envelope.JsonRpc)
            w.WriteStartObject("result");
        w.WriteString("status", "success");
        w.WriteString("data", result.Summary);
        w.WriteNumber("tokens_used", result.TokenCount);
        w.WriteNumber("token_budget", result.TokenBudget);
        if (method.Clamped)
            w.WriteString("budget_note", $"token_budget {method.RequestedBudget} was clamped to the server's maximum of {result.TokenBudget}");
        w.WriteBoolean("did_truncate", result.DidTruncate);
        if (result.NextCursor is null)
            w.WriteNull("next_cursor");
        else
            w.WriteString("next_cursor", result.NextCursor);
        w.WriteString("model", result.Model);
        w.WriteNumber("events_processed", result.EventsProcessed);
        w.WriteNumber("events_matched", result.EventsMatched);
        if (envelope.JsonRpc)
            w.WriteEndObject();
    });

    private static string ErrorResponse(Envelope envelope, RpcException error) => Respond(envelope, w =>
    {
        if (!envelope.JsonRpc)
            w.WriteString("status", "error");
        w.WriteStartObject("error");
        w.WriteNumber("code", error.Code);
        w.WriteString("message", error.Message);
        w.WriteStartObject("data");
        w.WriteString("status", "error");
        if (error.Parameter is not null)
            w.WriteString("parameter", error.Parameter);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>One response object: the JSON-RPC header (version and id) when the request had one, then <paramref name="body"/>.</summary>
    private static string Respond(Envelope envelope, Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            if (envelope.JsonRpc)
            {
                w.WriteString("jsonrpc", "2.0");
                WriteId(w, envelope.Id);
            }
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteId(Utf8JsonWriter w, JsonElement? id)
    {
        w.WritePropertyName("id");
        if (id is { } value)
            value.WriteTo(w);
        else
            w.WriteNullValue();
    }
}
