using System.Net;
using System.Net.Sockets;

namespace TraceQuery.Cli.Mcp;

/// <summary>
/// Where and how <c>tracequery mcp --http</c> listens. Loopback needs nothing more; any other address needs a bearer token
/// (so no one on the network can read traces without it), checked on every request whatever the address.
/// </summary>
/// <param name="Endpoint">Address and port to bind; port 0 picks a free one.</param>
/// <param name="Token">The bearer token every request must carry, or null (loopback only).</param>
/// <param name="AllowedOrigins">Browser origins allowed besides loopback ones (<c>http://localhost:*</c>, <c>http://127.0.0.1:*</c>, <c>http://[::1]:*</c>).</param>
internal sealed record McpHttpSettings(IPEndPoint Endpoint, string? Token, IReadOnlyList<string> AllowedOrigins)
{
    /// <summary>The environment variable holding the token when <c>--token-file</c> is not given.</summary>
    public const string TokenVariable = "TRACEQUERY_MCP_TOKEN";

    /// <summary>Shortest token accepted: a guessable token would make the check decorative.</summary>
    public const int MinimumTokenLength = 16;

    /// <summary>Whether the server listens on loopback only.</summary>
    public bool IsLoopback => IPAddress.IsLoopback(Endpoint.Address);

    /// <summary>
    /// Reads <c>--http</c> (<c>127.0.0.1:8080</c>, <c>[::1]:8080</c>, <c>localhost:8080</c>, <c>0.0.0.0:8080</c>), the token from
    /// <paramref name="tokenFile"/> or else <paramref name="tokenVariable"/>, and the extra origins.
    /// </summary>
    /// <exception cref="FormatException">The address, the token or an origin is unusable; the message says what to do.</exception>
    public static McpHttpSettings Parse(string address, string? tokenFile, string? tokenVariable, IReadOnlyList<string> allowedOrigins)
    {
        var endpoint = ParseEndpoint(address);
        string? token = null;
        if (tokenFile is not null)
        {
            if (!File.Exists(tokenFile))
                throw new FormatException($"--token-file '{tokenFile}' does not exist.");
            token = File.ReadAllText(tokenFile).Trim();
        }
        else if (!string.IsNullOrWhiteSpace(tokenVariable))
        {
            token = tokenVariable.Trim();
        }
        if (token is not null && (token.Length < MinimumTokenLength || token.Any(char.IsWhiteSpace)))
            throw new FormatException($"the bearer token must be at least {MinimumTokenLength} characters without spaces (e.g. the output of 'openssl rand -hex 32').");
        if (token is null && !IPAddress.IsLoopback(endpoint.Address))
        {
            throw new FormatException($"--http {address} listens beyond this machine: give a bearer token with --token-file <path> or the {TokenVariable} environment variable, "
                + "or listen on 127.0.0.1 or [::1].");
        }
        foreach (string origin in allowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || origin.EndsWith('/'))
                throw new FormatException($"--allow-origin '{origin}' is not an origin such as https://example.com or http://example.com:8080.");
        }
        return new McpHttpSettings(endpoint, token, allowedOrigins);
    }

    private static IPEndPoint ParseEndpoint(string address)
    {
        int colon = address.LastIndexOf(':');
        if (colon > 0 && address[..colon].Equals("localhost", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(address.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int localPort)
            && localPort <= IPEndPoint.MaxPort)
        {
            return new IPEndPoint(IPAddress.Loopback, localPort);
        }
        if (colon > 0 && IPEndPoint.TryParse(address, out var endpoint) && !address.EndsWith(']') && endpoint.Address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
            return endpoint;
        throw new FormatException($"--http '{address}' is not <address>:<port>, e.g. 127.0.0.1:8080, [::1]:8080 or localhost:8080.");
    }
}
