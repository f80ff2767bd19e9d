using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhook.Domain.Events;
using Webhook.Infrastructure.Telemetry;

namespace Webhook.Infrastructure.Events;

/// <summary>
/// Parses stored raw requests off the request path. Each loop claims a batch of due requests (SKIP LOCKED, so
/// any number of loops and processes share the work), resolves each webhook's plugin version once, calls the
/// plugins concurrently (bounded), and stores every result with one statement. Each request fails alone: what
/// one payload does (too deep, refused, a plugin failing it while serving others) ends as that request's ERROR
/// event, at once or after <c>ParseMaxAttempts</c>/<c>ParseMaxAgeHours</c> (FAILED), while the batch goes on. A plugin
/// outage pushes requests back with exponential backoff without spending their attempts; nothing is dropped.
/// Woken by <see cref="EventSignal"/>, else polls.
/// </summary>
internal sealed partial class ParseWorker(
    EventStore store,
    EventParser parser,
    EventSignal signal,
    TimeProvider clock,
    WebhookMetrics metrics,
    IOptions<WebhookOptions> options,
    ILogger<ParseWorker> logger) : BackgroundService
{
    private readonly WebhookOptions _options = options.Value;
    private readonly PluginHealth _health = new();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _options.ParseWorkerEnabled
            ? Task.WhenAll(Enumerable.Range(0, _options.ParseWorkers).Select(_ => Task.Run(() => LoopAsync(stoppingToken), stoppingToken)))
            : Task.CompletedTask;

    /// <summary>
    /// Sized to the batch, so a live worker never loses its claim: every call of the batch may take its whole budget
    /// (each try's timeout plus the backoff between tries), ParseConcurrency at a time, after one AUTO upgrade's init.
    /// </summary>
    private TimeSpan Lease
    {
        get
        {
            var perCall = _options.PluginTimeoutSeconds * (_options.PluginRetries + 1) + _options.PluginRetries;
            var rounds = Math.Ceiling((double)_options.ParseBatchSize / _options.ParseConcurrency) + 1;
            return TimeSpan.FromSeconds(perCall * rounds + 10);
        }
    }

    private Task LoopAsync(CancellationToken stoppingToken)
    {
        var idle = TimeSpan.FromMilliseconds(_options.ParsePollIntervalMs);
        return BackgroundLoop.RunAsync(
            async ct =>
            {
                var processed = await RunOnceAsync(ct);
                if (processed == _options.ParseBatchSize)
                {
                    // More may be waiting: let an idle sibling loop start on it while this one claims again.
                    signal.Pulse();
                }

                return processed > 0;
            },
            ct => signal.WaitAsync(idle, ct),
            e => LogDatabaseFailed(e.GetType().Name, e.Message),
            LogUnexpected,
            stoppingToken);
    }

    /// <summary>One batch: claim, parse, store. Returns how many requests were claimed.</summary>
    internal async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var claimed = await store.ClaimAsync(_options.ParseBatchSize, Lease, cancellationToken);
        if (claimed.Count == 0)
        {
            return 0;
        }

        (ClaimedRequest Request, ParseOutcome Outcome, string Plugin)[] outcomes;
        try
        {
            outcomes = await ParseAllAsync(claimed, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down mid-batch: hand the claims back so another process need not wait out the lease.
            await store.ReleaseAsync(claimed.Select(c => c.Id));
            throw;
        }

        var (completed, retried) = Settle(outcomes);
        try
        {
            var refused = await store.CompleteAsync(completed, retried, cancellationToken);
            if (refused.Count > 0)
            {
                LogRefused(refused.Count, refused[0].Reason);
                var replacements = refused.Select(r => ErrorOf(claimed.First(c => c.Id == r.Request.Id), r.Reason)).ToList();
                await store.CompleteAsync(replacements, [], cancellationToken);
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // The database dropped us between claim and store (a restart, a failover): nothing was stored, so hand
            // the claims back at once instead of letting them wait out the lease, if the database takes us again.
            await TryReleaseAsync(claimed);
            throw;
        }

        var errors = completed.Count(c => c.Error is not null);
        metrics.Parsed(ParseResult.Parsed, completed.Count - errors);
        metrics.Parsed(ParseResult.Error, errors);
        metrics.Parsed(ParseResult.Retry, retried.Count);
        if (retried.Count > 0)
        {
            LogRetrying(retried.Count, retried[0].Error);
        }

        return claimed.Count;
    }

    /// <summary>
    /// Decides each request's fate. A failed call is the payload's doing when the plugin served other requests
    /// lately (in this batch or within <see cref="PluginHealth.Window"/>): it spends an attempt, and the last one
    /// ends the request as FAILED. Otherwise the plugin is down: an outage, which spends nothing. Past
    /// ParseMaxAgeHours a request is given up either way.
    /// </summary>
    private (List<CompletedRequest> Completed, List<RetriedRequest> Retried) Settle(
        (ClaimedRequest Request, ParseOutcome Outcome, string Plugin)[] outcomes)
    {
        var now = clock.GetUtcNow();
        foreach (var (_, outcome, plugin) in outcomes)
        {
            if (outcome is ParseOutcome.Parsed)
            {
                _health.Served(plugin, now);
            }
        }

        var streaks = new Dictionary<string, int>();
        var maxAge = TimeSpan.FromHours(_options.ParseMaxAgeHours);
        var completed = new List<CompletedRequest>();
        var retried = new List<RetriedRequest>();
        foreach (var (request, outcome, plugin) in outcomes)
        {
            switch (outcome)
            {
                case ParseOutcome.Parsed parsed:
                    completed.Add(new CompletedRequest(request.Id, parsed.Events, parsed.Error));
                    break;
                case ParseOutcome.Retry retry when now - request.ReceivedAt >= maxAge:
                    completed.Add(GiveUp(request, $"Not parsed within {_options.ParseMaxAgeHours} hours of its receipt: {retry.Reason}"));
                    break;
                case ParseOutcome.Retry retry when retry.Outage || !_health.ServedRecently(plugin, now):
                    if (!streaks.TryGetValue(plugin, out var streak))
                    {
                        streaks[plugin] = streak = _health.Outage(plugin);
                    }

                    retried.Add(new RetriedRequest(request.Id, Backoff(streak), retry.Reason, Outage: true));
                    break;
                case ParseOutcome.Retry retry when request.Attempts >= _options.ParseMaxAttempts:
                    completed.Add(GiveUp(request, $"Gave up after {request.Attempts} attempts: {retry.Reason}"));
                    break;
                case ParseOutcome.Retry retry:
                    retried.Add(new RetriedRequest(request.Id, Backoff(request.Attempts), retry.Reason, Outage: false));
                    break;
            }
        }

        return (completed, retried);
    }

    private CompletedRequest GiveUp(ClaimedRequest request, string reason) => ErrorOf(request, reason) with { GaveUp = true };

    private CompletedRequest ErrorOf(ClaimedRequest request, string reason)
    {
        var error = parser.Failed(request.Webhook.SourceOf(request.Id), request.Webhook.Plugin.PluginId, null, reason);
        return new CompletedRequest(request.Id, error.Events, error.Error);
    }

    private async Task TryReleaseAsync(List<ClaimedRequest> claimed)
    {
        try
        {
            await store.ReleaseAsync(claimed.Select(c => c.Id));
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            LogReleaseFailed(claimed.Count, e.GetType().Name);
        }
    }

    /// <returns>Each request's outcome, with the plugin version that handled it (for telling outages apart).</returns>
    private async Task<(ClaimedRequest Request, ParseOutcome Outcome, string Plugin)[]> ParseAllAsync(
        List<ClaimedRequest> claimed, CancellationToken cancellationToken)
    {
        var bindings = new Dictionary<long, Task<(Domain.Webhooks.PluginBinding, bool)>>();
        foreach (var webhook in claimed.Select(c => c.Webhook).DistinctBy(w => w.Ref))
        {
            bindings[webhook.Ref] = ResolveAsync(webhook, cancellationToken);
        }

        using var gate = new SemaphoreSlim(_options.ParseConcurrency);
        return await Task.WhenAll(claimed.Select(async request =>
        {
            var plugin = $"{request.Webhook.Plugin.PluginId}@{request.Webhook.Plugin.Version}";
            if (request.Unreadable is not null)
            {
                return (request, (ParseOutcome)parser.Failed(request.Webhook.SourceOf(request.Id), request.Webhook.Plugin.PluginId, null, request.Unreadable), plugin);
            }

            await gate.WaitAsync(cancellationToken);
            try
            {
                var (binding, _) = await bindings[request.Webhook.Ref];
                plugin = $"{binding.PluginId}@{binding.Version}";
                return (request, await parser.ParseAsync(request.Webhook.SourceOf(request.Id), binding, request.Payload, cancellationToken), plugin);
            }
            catch (Domain.Plugins.PluginUnavailableException e)
            {
                // The AUTO upgrade's init could not reach the plugin.
                return (request, (ParseOutcome)new ParseOutcome.Retry(e.Message, e.Unreachable), plugin);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    private async Task<(Domain.Webhooks.PluginBinding, bool)> ResolveAsync(WebhookContext webhook, CancellationToken cancellationToken)
    {
        var (binding, upgraded, rejected) = await parser.ResolveAsync(webhook.Plugin, cancellationToken);
        if (rejected is not null)
        {
            LogUpgradeRejected(webhook.WebhookId, webhook.Plugin.PluginId, rejected);
        }

        if (upgraded)
        {
            await store.SaveUpgradeAsync(webhook.Ref, webhook.Plugin.Version, binding, cancellationToken);
        }

        return (binding, upgraded);
    }

    /// <summary>base · 2^(attempt-1), capped, with ±20 % jitter so a recovered plugin is not hit all at once.</summary>
    private TimeSpan Backoff(int attempts)
    {
        var seconds = Math.Min(_options.ParseRetryBaseSeconds * Math.Pow(2, Math.Max(attempts - 1, 0)), _options.ParseRetryMaxSeconds);
        return TimeSpan.FromSeconds(seconds * (0.8 + Random.Shared.NextDouble() * 0.4));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Parse worker could not reach the database ({Error}): {Message}")]
    private partial void LogDatabaseFailed(string error, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Parse worker failed on a batch; its requests will be claimed again")]
    private partial void LogUnexpected(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not hand {Count} claimed requests back ({Error}); they return when their lease ends")]
    private partial void LogReleaseFailed(int count, string error);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Webhook {WebhookId} stays on its plugin {PluginId} version: the newer version rejected its options: {Reason}")]
    private partial void LogUpgradeRejected(string webhookId, string pluginId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL refused the events of {Count} requests; they become ERROR events, e.g.: {Reason}")]
    private partial void LogRefused(int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} requests wait for their plugin, e.g.: {Reason}")]
    private partial void LogRetrying(int count, string reason);
}
