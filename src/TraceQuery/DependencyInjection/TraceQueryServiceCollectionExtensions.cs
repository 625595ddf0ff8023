using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using TraceQuery;
using TraceQuery.Analysis;
using TraceQuery.Protocol;
using TraceQuery.Summaries;
using TraceQuery.Text;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers TraceQuery in a <c>Microsoft.Extensions.DependencyInjection</c> container.</summary>
public static class TraceQueryServiceCollectionExtensions
{
    /// <summary>
    /// Registers, as singletons, the <see cref="TraceQueryOptions"/>, an <see cref="ITokenCounter"/> for
    /// <see cref="TraceQueryOptions.Model"/>, an <see cref="Analyzer"/>, a <see cref="QueryEngine"/> and a
    /// <see cref="TraceQueryServer"/> (call its <see cref="TraceQueryServer.StartAsync"/> before the first request; the
    /// container disposes it). The engine and server log through the container's <see cref="ILoggerFactory"/> and
    /// create their meter with its <see cref="IMeterFactory"/> when those are registered. Services already
    /// registered are kept, so a host may supply its own token counter or analyzer first.
    /// </summary>
    /// <param name="services">The container's service collection.</param>
    /// <param name="configure">Adjusts the options; null keeps the defaults.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentException">The configured model is unknown (raised when the counter is first resolved).</exception>
    public static IServiceCollection AddTraceQuery(this IServiceCollection services, Action<TraceQueryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new TraceQueryOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(options);
        services.TryAddSingleton<ITokenCounter>(provider => new TokenCounter(provider.GetRequiredService<TraceQueryOptions>().Model));
        services.TryAddSingleton(provider => new Analyzer(provider.GetRequiredService<TraceQueryOptions>().Analyzer));
        services.TryAddSingleton(provider => new QueryEngine(
            provider.GetRequiredService<Analyzer>(),
            provider.GetRequiredService<ITokenCounter>(),
            provider.GetService<ILoggerFactory>()?.CreateLogger<QueryEngine>(),
            provider.GetService<IMeterFactory>()));
        services.TryAddSingleton(provider => new TraceQueryServer(
            provider.GetRequiredService<QueryEngine>(),
            provider.GetRequiredService<TraceQueryOptions>().Server,
            provider.GetService<ILoggerFactory>()?.CreateLogger<TraceQueryServer>()));
        return services;
    }
}
