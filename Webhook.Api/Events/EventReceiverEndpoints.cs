using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Webhook.Api.Common.OpenApi;
using Webhook.Infrastructure;
using Webhook.Infrastructure.Events;
using Webhook.Infrastructure.Telemetry;

namespace Webhook.Api.Events;

/// <summary>
/// The secret webhook URL senders POST to. Anonymous and small: read the body (bounded), hand it to the ingest
/// queue, answer once it is committed. The access key is compared in constant time by the writer and never
/// appears in a response or a log line (the path is never logged).
/// </summary>
internal static class EventReceiverEndpoints
{
    public static RouteGroupBuilder MapEventReceiverEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/monitoring/v1").WithTags("Event receiver").AllowAnonymous().AcceptsAnyPayload();
        group.ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPost("/webhook/{webhook_id}/{access_key}/events", Receive).WithName("ReceiveEvents")
            .WithSummary("Receive a sender's payload (any body); stored durably before the 200, parsed in the background")
            .WithDescription("Any content type: JSON (also sent as text/plain), form data (becomes an object), anything else (kept as text).");

        return group;
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> Receive(
        [FromRoute(Name = "webhook_id")] string webhookId,
        [FromRoute(Name = "access_key")] string accessKey,
        HttpContext http,
        IngestQueue queue,
        WebhookMetrics metrics,
        TimeProvider clock,
        IOptions<WebhookOptions> options,
        CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxEventBodyBytes;
        if (http.Request.ContentLength > limit)
        {
            metrics.RequestReceived(ReceiveOutcome.TooLarge);
            return TooLarge(limit);
        }

        // Our own limit governs (it may exceed Kestrel's 30 MB default); it is enforced while reading below.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }

        var body = await ReadBodyAsync(http.Request, limit, cancellationToken);
        if (body is null)
        {
            metrics.RequestReceived(ReceiveOutcome.TooLarge);
            return TooLarge(limit);
        }

        var contentType = http.Request.ContentType ?? "";
        var request = new IncomingRequest(
            webhookId,
            Encoding.UTF8.GetBytes(accessKey),
            clock.GetUtcNow(),
            contentType.Length > 255 ? contentType[..255] : contentType,
            PayloadEncoder.HeadersToJson(http.Request.Headers),
            PayloadEncoder.Encode(body, contentType));

        var completion = queue.TryEnqueue(request);
        if (completion is null)
        {
            metrics.RequestReceived(ReceiveOutcome.QueueFull);
            return Unavailable(http, "The service is receiving more events than it can store right now; retry shortly.");
        }

        // Not cancelled with the request: once queued, the write happens and its outcome is what we answer.
        var outcome = await completion;
        metrics.RequestReceived(outcome switch
        {
            IngestOutcome.Accepted => ReceiveOutcome.Accepted,
            IngestOutcome.Denied => ReceiveOutcome.Denied,
            IngestOutcome.Disabled => ReceiveOutcome.Disabled,
            _ => ReceiveOutcome.StoreFailed,
        });
        return outcome switch
        {
            IngestOutcome.Accepted => TypedResults.Ok(new JsonObject()),
            IngestOutcome.Denied => Problems.Result(Problems.Create(ErrorCodes.PermissionDenied, "Permission denied.")),
            IngestOutcome.Disabled => Problems.Result(Problems.Create(
                ErrorCodes.WebhookStateDisabled, "The webhook is disabled; enable it to receive events.")),
            _ => Unavailable(http, "The event could not be stored; nothing was accepted. Retry shortly."),
        };
    }

    /// <summary>The body, or null once it passes <paramref name="limit"/> (checked as it streams, chunked or not).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.End);
                return null;
            }

            if (result.IsCompleted)
            {
                var bytes = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return bytes;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static ProblemHttpResult TooLarge(int limit) =>
        Problems.Result(Problems.Create(ErrorCodes.PayloadTooLarge, $"The body is larger than {limit} bytes."));

    private static ProblemHttpResult Unavailable(HttpContext http, string detail)
    {
        http.Response.Headers.RetryAfter = "1";
        return Problems.Result(Problems.Create(ErrorCodes.ServiceUnavailable, detail));
    }
}
