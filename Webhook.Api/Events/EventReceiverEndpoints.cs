using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Webhook.Api.Common.OpenApi;
using Webhook.Infrastructure;
using Webhook.Infrastructure.Events;
using Webhook.Infrastructure.Senders;
using Webhook.Infrastructure.Telemetry;

namespace Webhook.Api.Events;

/// <summary>
/// The secret webhook URL senders POST to. Anonymous and small: apply the senders' limits, read the body (bounded
/// by size and by the memory budget), hand it to the ingest queue, answer once it is committed. The access key is compared in constant time by the writer and never
/// appears in a response or a log line (the path is never logged).
/// </summary>
internal static class EventReceiverEndpoints
{
    /// <summary>What both receiver routes need from the container.</summary>
    public readonly record struct ReceiverServices(
        IngestQueue Queue,
        SenderLimits Limits,
        IngestBudget Budget,
        WebhookMetrics Metrics,
        TimeProvider Clock,
        IOptions<WebhookOptions> Options);

    public static RouteGroupBuilder MapEventReceiverEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/monitoring/v1").WithTags("Event receiver").AllowAnonymous().AcceptsAnyPayload();
        group.ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPost("/webhook/{webhook_id}/{access_key}/events", Receive).WithName("ReceiveEvents")
            .WithSummary("Receive a sender's payload (any body); stored durably before the 200, parsed in the background")
            .WithDescription("Any content type: JSON (also sent as text/plain), form data (becomes an object), anything else (kept as text).");
        group.MapPost("/webhook/{webhook_id}/events", ReceiveWithHeaderKey).WithName("ReceiveEventsWithHeaderKey")
            .WithSummary("Receive a sender's payload, the access key in Authorization (Bearer <key>, or Basic with the key as password)")
            .WithDescription("For senders that can set headers (Alertmanager http_config.authorization, Grafana, Azure). Same answers as the keyed URL; no or a wrong key is 403.");

        return group;
    }

    public static Task<Results<Ok<JsonObject>, ProblemHttpResult>> ReceiveWithHeaderKey(
        [FromRoute(Name = "webhook_id")] string webhookId,
        HttpContext http,
        [AsParameters] ReceiverServices services,
        CancellationToken cancellationToken) =>
        Receive(webhookId, SenderKey.From(http.Request.Headers.Authorization), http, services, cancellationToken);

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> Receive(
        [FromRoute(Name = "webhook_id")] string webhookId,
        [FromRoute(Name = "access_key")] string accessKey,
        HttpContext http,
        [AsParameters] ReceiverServices services,
        CancellationToken cancellationToken)
    {
        var (queue, limits, budget, metrics, clock, options) = services;
        var limit = options.Value.MaxEventBodyBytes;
        if (http.Request.ContentLength > limit)
        {
            metrics.RequestReceived(ReceiveOutcome.TooLarge);
            return TooLarge(limit);
        }

        // Limits that need no body come first, so a throttled or hostile sender costs no body read and no lane slot.
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var key = Encoding.UTF8.GetBytes(accessKey);
        var keyStatus = limits.Check(webhookId, key);
        if (keyStatus == KeyStatus.Mismatch && limits.IsOverDenialLimit(address))
        {
            metrics.RequestReceived(ReceiveOutcome.RateLimited);
            return await TooManyDenialsAsync(http, limits.TryCountDenial(address), clock, cancellationToken);
        }

        if (keyStatus == KeyStatus.Verified && limits.TryTakeWebhookToken(webhookId) is { } wait)
        {
            metrics.RequestReceived(ReceiveOutcome.RateLimited);
            return await RateLimitedAsync(http, wait, clock, cancellationToken);
        }

        using var held = budget.Open();
        if (!held.TryHold(Math.Max(http.Request.ContentLength ?? 0, RequestOverheadBytes)))
        {
            metrics.RequestReceived(ReceiveOutcome.OverBudget);
            return BudgetExhausted(http);
        }

        // Our own limit governs (it may exceed Kestrel's 30 MB default); it is enforced while reading below.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }

        var (body, read) = await ReadBodyAsync(http.Request, limit, held, cancellationToken);
        if (body is null)
        {
            metrics.RequestReceived(read == BodyRead.TooLarge ? ReceiveOutcome.TooLarge : ReceiveOutcome.OverBudget);
            return read == BodyRead.TooLarge ? TooLarge(limit) : BudgetExhausted(http);
        }

        var contentType = http.Request.ContentType ?? "";
        var request = new IncomingRequest(
            webhookId,
            key,
            clock.GetUtcNow(),
            contentType.Length > 255 ? contentType[..255] : contentType,
            PayloadEncoder.HeadersToJson(http.Request.Headers),
            PayloadEncoder.Encode(body, contentType),
            TokenTaken: keyStatus == KeyStatus.Verified);
        // The encoded copy (UTF-16) is what waits in the queue; the body's bytes are garbage from here.
        if (!held.TryHold((request.PayloadJson.Length + request.HeadersJson.Length) * sizeof(char) + RequestOverheadBytes))
        {
            metrics.RequestReceived(ReceiveOutcome.OverBudget);
            return BudgetExhausted(http);
        }

        var completion = queue.TryEnqueue(request);
        if (completion is null)
        {
            metrics.RequestReceived(ReceiveOutcome.QueueFull);
            return Unavailable(http, "The service is receiving more events than it can store right now; retry shortly.");
        }

        // Not cancelled with the request: once queued, the write happens and its outcome is what we answer.
        var outcome = await completion;
        var overDenials = outcome == IngestOutcome.Denied ? limits.TryCountDenial(address) : null;
        metrics.RequestReceived(outcome switch
        {
            IngestOutcome.Accepted => ReceiveOutcome.Accepted,
            IngestOutcome.Denied when overDenials is not null => ReceiveOutcome.RateLimited,
            IngestOutcome.Denied => ReceiveOutcome.Denied,
            IngestOutcome.Disabled => ReceiveOutcome.Disabled,
            IngestOutcome.RateLimited => ReceiveOutcome.RateLimited,
            _ => ReceiveOutcome.StoreFailed,
        });
        return outcome switch
        {
            IngestOutcome.Accepted => TypedResults.Ok(new JsonObject()),
            IngestOutcome.Denied when overDenials is not null => await TooManyDenialsAsync(http, overDenials, clock, cancellationToken),
            IngestOutcome.Denied => Problems.Result(Problems.Create(ErrorCodes.PermissionDenied, "Permission denied.")),
            IngestOutcome.Disabled => Problems.Result(Problems.Create(
                ErrorCodes.WebhookStateDisabled, "The webhook is disabled; enable it to receive events.")),
            IngestOutcome.RateLimited => await RateLimitedAsync(http, TimeSpan.FromSeconds(1), clock, cancellationToken),
            _ => Unavailable(http, "The event could not be stored; nothing was accepted. Retry shortly."),
        };
    }

    /// <summary>How long a 429 is held before it is answered: the least its Retry-After ever says.</summary>
    public static readonly TimeSpan RefusalHold = TimeSpan.FromSeconds(1);

    /// <summary>What a request holds besides its body (headers, strings), so even empty bodies count against the budget.</summary>
    private const int RequestOverheadBytes = 1024;

    private enum BodyRead
    {
        Complete,
        TooLarge,
        OverBudget,
    }

    /// <summary>
    /// The body, or null once it passes <paramref name="limit"/> or the memory budget (checked as it streams, chunked
    /// or not: the bytes buffered so far count against the budget before the body is complete).
    /// </summary>
    private static async Task<(byte[]? Body, BodyRead Outcome)> ReadBodyAsync(
        HttpRequest request, int limit, IngestBudget.Reservation held, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.End);
                return (null, BodyRead.TooLarge);
            }

            if (!held.TryHold(buffer.Length + RequestOverheadBytes))
            {
                reader.AdvanceTo(buffer.End);
                return (null, BodyRead.OverBudget);
            }

            if (result.IsCompleted)
            {
                var bytes = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return (bytes, BodyRead.Complete);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static Task<ProblemHttpResult> RateLimitedAsync(
        HttpContext http, TimeSpan retryAfter, TimeProvider clock, CancellationToken cancellationToken) =>
        TooManyRequestsAsync(
            http, retryAfter, "This webhook is receiving more requests than its limit; retry after the time given.", clock, cancellationToken);

    /// <summary>An address past its allowance of denied requests: its key failures are 429 (valid requests still pass).</summary>
    private static Task<ProblemHttpResult> TooManyDenialsAsync(
        HttpContext http, TimeSpan? retryAfter, TimeProvider clock, CancellationToken cancellationToken) =>
        TooManyRequestsAsync(
            http, retryAfter ?? TimeSpan.FromMinutes(1), "Too many denied requests from this address; retry after the time given.", clock,
            cancellationToken);

    /// <summary>
    /// Every 429, held for <see cref="RefusalHold"/> before it is answered. A client sends its next request on a
    /// connection only once the last one is answered, so a flooding connection gets one refusal a second instead of as
    /// many as the two cores can serve: the senders within their limits keep the CPU. A held refusal costs a timer, no
    /// thread, no body read and no budget; the caller was told not to retry sooner anyway.
    /// </summary>
    private static async Task<ProblemHttpResult> TooManyRequestsAsync(
        HttpContext http, TimeSpan retryAfter, string detail, TimeProvider clock, CancellationToken cancellationToken)
    {
        http.Response.Headers.RetryAfter = Seconds(retryAfter);
        await Task.Delay(RefusalHold, clock, cancellationToken);
        return Problems.Result(Problems.Create(ErrorCodes.RateLimited, detail));
    }

    private static ProblemHttpResult BudgetExhausted(HttpContext http) =>
        Unavailable(http, "The service holds as many unstored request bytes as it may; retry shortly.");

    private static string Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static ProblemHttpResult TooLarge(int limit) =>
        Problems.Result(Problems.Create(ErrorCodes.PayloadTooLarge, $"The body is larger than {limit} bytes."));

    private static ProblemHttpResult Unavailable(HttpContext http, string detail)
    {
        http.Response.Headers.RetryAfter = "1";
        return Problems.Result(Problems.Create(ErrorCodes.ServiceUnavailable, detail));
    }
}
