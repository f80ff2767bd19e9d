using System.Diagnostics;
using Webhook.Api.Events;
using Microsoft.Extensions.DependencyInjection;
using Webhook.Infrastructure.Senders;
using static Webhook.Tests.Events.EventTestKit;

namespace Webhook.Tests.Hostile;

/// <summary>DESIGN.md "Senders" limits: per webhook token bucket, per address denials, the memory budget.</summary>
[Collection(ApiCollection.Name)]
public sealed class SenderLimitTests(ApiFixture api)
{
    private static string WrongKeyPath(JsonObject webhook) =>
        $"/monitoring/v1/webhook/{Id(webhook)}/{new string('0', 32)}/events";

    private static Task<HttpResponseMessage> PostWrongKeyAsync(HttpClient client, JsonObject webhook) =>
        client.PostAsync(WrongKeyPath(webhook), new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

    private static async Task AssertRateLimitedAsync(HttpResponseMessage response)
    {
        await response.ProblemAsync(HttpStatusCode.TooManyRequests, "ERROR_RATE_LIMITED");
        Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "429 without a Retry-After");
    }

    [Fact]
    public async Task Receive_OneWebhookFlooded_Gets429WhileAnotherWebhookIsServed()
    {
        await using var limited = api.FactoryWith(new()
        {
            ["Webhook:WebhookRateLimitBurst"] = "5",
            ["Webhook:WebhookRateLimitPerSecond"] = "1",
        });
        var client = limited.CreateClient();
        var domain = ApiClientExtensions.NewDomain();
        var flooded = await client.CreateWebhookAsync(domain, "flooded");
        var quiet = await client.CreateWebhookAsync(domain, "quiet");

        var flood = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => client.PostEventAsync(flooded, "{}")));
        var calm = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            calm.Add(await client.PostEventAsync(quiet, "{}"));
        }

        var refused = flood.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.True(refused.Count >= 20, $"only {refused.Count} of 40 flood requests were refused");
        foreach (var response in refused)
        {
            await AssertRateLimitedAsync(response);
        }

        Assert.All(flood, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.Equal(flood.Count(r => r.StatusCode == HttpStatusCode.OK), await RequestsAsync(api.Database, Id(flooded)));
        Assert.All(calm, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task Receive_ARefusal_IsHeldForItsRetryAfter_WhileAnotherWebhookIsAnsweredAtOnce()
    {
        await using var limited = api.FactoryWith(new()
        {
            ["Webhook:WebhookRateLimitBurst"] = "1",
            ["Webhook:WebhookRateLimitPerSecond"] = "1",
        });
        var client = limited.CreateClient();
        var domain = ApiClientExtensions.NewDomain();
        var flooded = await client.CreateWebhookAsync(domain, "flooded");
        var quiet = await client.CreateWebhookAsync(domain, "quiet");
        await (await client.PostEventAsync(flooded, "{}")).JsonAsync();

        var clock = Stopwatch.StartNew();
        var refusal = client.PostEventAsync(flooded, "{}");
        var served = await client.PostEventAsync(quiet, "{}");
        var servedAfter = clock.Elapsed;
        var refused = await refusal;
        var refusedAfter = clock.Elapsed;

        await AssertRateLimitedAsync(refused);
        Assert.True(refusedAfter >= EventReceiverEndpoints.RefusalHold - TimeSpan.FromMilliseconds(50),
            $"the 429 came after {refusedAfter.TotalMilliseconds:F0} ms, not held for {EventReceiverEndpoints.RefusalHold}");
        await served.JsonAsync();
        Assert.True(servedAfter < refusedAfter, "the quiet webhook's request waited for the flooded one's refusal");
    }

    [Fact]
    public async Task Receive_WrongKeys_NeverDrainTheWebhooksBucket()
    {
        await using var limited = api.FactoryWith(new()
        {
            ["Webhook:WebhookRateLimitBurst"] = "3",
            ["Webhook:WebhookRateLimitPerSecond"] = "1",
            ["Webhook:SenderDeniedPerMinute"] = "1000",
        });
        var client = limited.CreateClient();
        var webhook = await client.CreateWebhookAsync(ApiClientExtensions.NewDomain(), "target");

        var denied = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => PostWrongKeyAsync(client, webhook)));
        var valid = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => client.PostEventAsync(webhook, "{}")));

        Assert.All(denied, r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.All(valid, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task Receive_AddressPastItsDenials_Gets429ForKeyFailuresButItsValidRequestsPass()
    {
        await using var limited = api.FactoryWith(new() { ["Webhook:SenderDeniedPerMinute"] = "3" });
        var client = limited.CreateClient();
        var webhook = await client.CreateWebhookAsync(ApiClientExtensions.NewDomain(), "guarded");
        await (await client.PostEventAsync(webhook, "{}")).JsonAsync();

        var attempts = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++)
        {
            attempts.Add(await PostWrongKeyAsync(client, webhook));
        }

        var unknownWebhook = await client.PostAsync("/monitoring/v1/webhook/webhook-000000000000/" + new string('1', 32) + "/events",
            new StringContent("{}"));
        var valid = await client.PostEventAsync(webhook, "{}");

        foreach (var response in attempts.Take(3))
        {
            await response.ProblemAsync(HttpStatusCode.Forbidden, "ERROR_PERMISSION_DENIED");
        }

        foreach (var response in attempts.Skip(3))
        {
            await AssertRateLimitedAsync(response);
        }

        await AssertRateLimitedAsync(unknownWebhook);
        await valid.JsonAsync();
        Assert.Equal(2, await RequestsAsync(api.Database, Id(webhook)));
    }

    [Fact]
    public async Task Receive_ManySlowSenders_NeverHoldMoreThanTheBudget()
    {
        const int senders = 10;
        const int chunk = 16 * 1024;
        // Real Kestrel and raw sockets: a sender that stops mid-body is exactly what the in-memory server cannot show.
        await using var small = api.FactoryWith(new() { ["Webhook:MaxBufferedBytes"] = (64 * 1024).ToString() });
        small.UseKestrel(0);
        small.StartServer();
        var client = small.CreateClient();
        var budget = small.Services.GetRequiredService<IngestBudget>();
        var webhook = await client.CreateWebhookAsync(ApiClientExtensions.NewDomain(), "slow-senders");

        var slow = new List<SlowSender>();
        for (var i = 0; i < senders; i++)
        {
            slow.Add(await SlowSender.StartAsync(client.BaseAddress!, EventsPath(webhook), chunk));
        }

        await WaitUntilAsync(() => Task.FromResult(slow.Count(s => s.Answer.IsCompleted) >= senders - 3), "senders past the budget refused");
        var refused = slow.Where(s => s.Answer.IsCompleted).Select(s => s.Answer.Result).ToList();
        var heldWhileWaiting = budget.Held;
        foreach (var sender in slow.Where(s => !s.Answer.IsCompleted))
        {
            await sender.FinishAsync();
        }

        var answers = await Task.WhenAll(slow.Select(s => s.Answer));
        foreach (var sender in slow)
        {
            sender.Dispose();
        }

        Assert.All(refused, answer => Assert.StartsWith("HTTP/1.1 503", answer));
        Assert.All(refused, answer => Assert.Contains("Retry-After:", answer, StringComparison.OrdinalIgnoreCase));
        Assert.All(refused, answer => Assert.Contains("ERROR_SERVICE_UNAVAILABLE", answer));
        Assert.True(heldWhileWaiting >= chunk, $"the slow senders' partial bodies were not counted ({heldWhileWaiting} bytes)");
        Assert.True(budget.Peak <= budget.Limit, $"held {budget.Peak} bytes, budget {budget.Limit}");
        Assert.Contains(answers, answer => answer.StartsWith("HTTP/1.1 200", StringComparison.Ordinal));
        await WaitUntilAsync(() => Task.FromResult(budget.Held == 0), "every reservation given back");
    }

    /// <summary>A sender on a raw socket that sends its headers and one chunk of a chunked body, then waits.</summary>
    private sealed class SlowSender : IDisposable
    {
        private readonly System.Net.Sockets.TcpClient _tcp;
        private readonly Stream _stream;

        private SlowSender(System.Net.Sockets.TcpClient tcp)
        {
            _tcp = tcp;
            _stream = tcp.GetStream();
            Answer = ReadAnswerAsync();
        }

        /// <summary>Everything the server answered, once it closes or completes the response.</summary>
        public Task<string> Answer { get; }

        public static async Task<SlowSender> StartAsync(Uri server, string path, int chunk)
        {
            var tcp = new System.Net.Sockets.TcpClient();
            await tcp.ConnectAsync(server.Host, server.Port);
            var sender = new SlowSender(tcp);
            var head = $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: application/json\r\n"
                       + $"Transfer-Encoding: chunked\r\n\r\n{chunk:x}\r\n[{new string(' ', chunk - 1)}\r\n";
            await sender._stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));
            await sender._stream.FlushAsync();
            return sender;
        }

        public async Task FinishAsync()
        {
            await _stream.WriteAsync("1\r\n]\r\n0\r\n\r\n"u8.ToArray());
            await _stream.FlushAsync();
        }

        private async Task<string> ReadAnswerAsync()
        {
            var buffer = new byte[8192];
            var text = new System.Text.StringBuilder();
            try
            {
                int read;
                while ((read = await _stream.ReadAsync(buffer)) > 0)
                {
                    text.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, read));
                    var answer = text.ToString();
                    var headerEnd = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                    if (headerEnd > 0 && IsComplete(answer, headerEnd + 4))
                    {
                        return answer;
                    }
                }
            }
            catch (IOException)
            {
            }

            return text.ToString();
        }

        /// <summary>A whole response: its Content-Length of body, or the last chunk of a chunked one.</summary>
        private static bool IsComplete(string answer, int bodyStart)
        {
            var length = System.Text.RegularExpressions.Regex.Match(answer[..bodyStart], "Content-Length: *(\\d+)",
                System.Text.RegularExpressions.RegexOptions.IgnoreCase);
            return length.Success
                ? answer.Length - bodyStart >= int.Parse(length.Groups[1].Value)
                : answer.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal);
        }

        public void Dispose() => _tcp.Dispose();
    }
}
