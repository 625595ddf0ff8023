namespace TraceQuery.Protocol.Internals;

/// <summary>A request that fails with a JSON-RPC error code and a message an agent can act on.</summary>
internal sealed class RpcException(int code, string message, string? parameter = null) : Exception(message)
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;
    public const int TraceError = -32000;
    public const int ServerBusy = -32001;
    public const int Timeout = -32002;
    public const int ResponseTooLarge = -32003;
    public const int RequestCancelled = -32800;

    public int Code { get; } = code;

    public string? Parameter { get; } = parameter;
}
