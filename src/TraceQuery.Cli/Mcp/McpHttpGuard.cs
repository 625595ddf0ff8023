using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace TraceQuery.Cli.Mcp;

/// <summary>
/// The checks in front of <c>/mcp</c>, on every request: a browser page from a foreign site must not reach a local server
/// (DNS rebinding: the <c>Origin</c> header must be a loopback origin or an allowed one, and on a loopback server the
/// <c>Host</c> header a loopback name), and with a token, the request must carry <c>Authorization: Bearer &lt;token&gt;</c>.
/// </summary>
internal sealed class McpHttpGuard(McpHttpSettings settings)
{
    private readonly byte[]? _expected = settings.Token is null ? null : Encoding.UTF8.GetBytes("Bearer " + settings.Token);

    /// <summary>Refuses the request with 403 (origin, host) or 401 (token), or passes it on.</summary>
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        string? origin = context.Request.Headers.Origin;
        if (origin is not null && !IsAllowedOrigin(origin))
            return RefuseAsync(context, StatusCodes.Status403Forbidden, $"Origin '{origin}' is not allowed: only loopback pages may call this server (start it with --allow-origin to allow another).");
        if (settings.IsLoopback && !IsLoopbackName(context.Request.Host.Host))
            return RefuseAsync(context, StatusCodes.Status403Forbidden, $"Host '{context.Request.Host.Host}' is not a loopback name; this server answers only at localhost, 127.0.0.1 or [::1].");
        if (_expected is not null && !HasToken(context.Request.Headers.Authorization.ToString()))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return RefuseAsync(context, StatusCodes.Status401Unauthorized, "A bearer token is required: send 'Authorization: Bearer <token>' with the token the server was started with.");
        }
        return next(context);
    }

    private bool HasToken(string authorization) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(authorization), _expected);

    private bool IsAllowedOrigin(string origin)
    {
        if (settings.AllowedOrigins.Any(o => string.Equals(o, origin, StringComparison.OrdinalIgnoreCase)))
            return true;
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && IsLoopbackName(uri.Host);
    }

    private static bool IsLoopbackName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static Task RefuseAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }
}
