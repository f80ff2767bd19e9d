using System.Text;
using Npgsql;
using Xunit.Abstractions;
using static Webhook.Tests.Events.EventTestKit;

namespace Webhook.Tests.Hostile;

/// <summary>
/// Generated bad input (fixed seed, so a failure reproduces) against every management route and the receiver:
/// every answer is a 4xx problem with a <c>code</c>, none is a 5xx or hangs, and no rejected call changes the
/// database. The count and the distribution of codes are printed to the test output.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class FuzzTests(ApiFixture api, ITestOutputHelper output)
{
    private const int Seed = 20261203;

    private sealed record FuzzCase(string Kind, HttpMethod Method, string Url, byte[]? Body, string? ContentType, bool HugeHeader);

    private static readonly string[] BadRegexes =
        ["(a{255}){255}", "((a{255}){255}){255}", "[", "a{2,1}", "x{256}", "(", "a)", "[[:nope:]]", "\\", "*a"];

    private static readonly string[] QueryGarbage =
    [
        """{"filter": [{"k": "name", "v": "x", "o": "resembles"}]}""",
        """{"filter": {"k": "name"}}""",
        """{"filter": [{"k": 12, "v": "x", "o": "eq"}]}""",
        """{"filter": [{"k": "no_such_field", "v": "x", "o": "eq"}]}""",
        """{"filter": [{"k": "name", "v": ["a"], "o": "eq"}]}""",
        """{"filter": [{"k": "name", "v": "a", "o": "in"}]}""",
        """{"filter": [{"k": "created_at", "v": "yesterday-ish", "o": "datetime_lt"}]}""",
        """{"filter": [{"k": "created_at", "v": "now-1x", "o": "timediff_lt"}]}""",
        """{"sort": [{"key": "nope"}]}""",
        """{"sort": 7}""",
        """{"page": {"start": -1, "limit": -5}}""",
        """{"page": {"start": 1e400}}""",
        """{"page": {"limit": 99999999999999999999999}}""",
        """{"only": "name"}""",
        "{\"only\": [" + string.Join(", ", Enumerable.Repeat("\"name\"", 2000)) + "]}",
        """{"only": ["nope.deeper"]}""",
        """{"count_only": "yes"}""",
        """{"keyword": ["a"]}""",
        """{"minimal": 1}""",
        """{"aggregate": [{"group": {"keys": [{"key": "nope", "name": "x"}]}}]}""",
        """{"aggregate": [{"explode": {}}]}""",
        """{"aggregate": [{"group": {"fields": [{"operator": "median", "name": "m"}]}}]}""",
        """{"aggregate": "all"}""",
        """{"distinct": 5}""",
        """{"unknown_part": true}""",
        """[]""",
        "\"query as a string\"",
    ];

    [Fact]
    public async Task Fuzz_BadInputOnEveryRoute_Answers4xxWithCodeAndChangesNothing()
    {
        var client = api.Client;
        var domain = ApiClientExtensions.NewDomain();
        var webhook = await client.CreateWebhookAsync(domain, "fuzz-target");
        var disabled = await client.CreateWebhookAsync(domain, "fuzz-disabled");
        await (await client.SendJsonAsync(HttpMethod.Put, $"/monitoring/v1/webhook/{Id(disabled)}/disable", new { domain_id = domain })).JsonAsync();
        var cases = Generate(new Random(Seed), domain, webhook, disabled);
        var before = await SnapshotAsync(domain);

        var codes = new Dictionary<string, int>();
        var failures = new List<string>();
        foreach (var fuzz in cases)
        {
            var (status, code) = await SendAsync(client, fuzz);
            var label = $"{status} {code ?? "(no code)"}";
            codes[label] = codes.GetValueOrDefault(label) + 1;
            if (status is < 400 or >= 500 || code is null)
            {
                failures.Add($"{fuzz.Kind}{(fuzz.HugeHeader ? " (+16 KB header)" : "")}: {fuzz.Method} {Shorten(fuzz.Url)} -> {label}");
            }
        }

        var after = await SnapshotAsync(domain);
        output.WriteLine($"fuzz: {cases.Count} bad inputs (seed {Seed})");
        foreach (var (label, count) in codes.OrderByDescending(c => c.Value))
        {
            output.WriteLine($"  {count,5}  {label}");
        }

        output.WriteLine("by kind: " + string.Join(", ", cases.GroupBy(c => c.Kind).Select(g => $"{g.Key}={g.Count()}")));
        Assert.True(cases.Count >= 300, $"only {cases.Count} cases");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(30)));
        Assert.Equal(before, after);
    }

    private static string Shorten(string text) => text.Length > 120 ? text[..120] + "…" : text;

    private static async Task<(int Status, string? Code)> SendAsync(HttpClient client, FuzzCase fuzz)
    {
        using var request = new HttpRequestMessage(fuzz.Method, fuzz.Url);
        if (fuzz.Body is not null)
        {
            request.Content = new ByteArrayContent(fuzz.Body);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzz.ContentType ?? "application/json");
        }

        if (fuzz.HugeHeader)
        {
            // As large as a real server lets through (Kestrel answers 431 itself past 32 KB of headers).
            request.Headers.TryAddWithoutValidation("X-Fuzz", new string('h', 16 * 1024));
        }

        // A bound, not a measurement: an answer that takes this long is a hang.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await client.SendAsync(request, deadline.Token);
        var text = await response.Content.ReadAsStringAsync(deadline.Token);
        string? code = null;
        try
        {
            code = (string?)JsonNode.Parse(text)?["code"];
        }
        catch (JsonException)
        {
        }

        return ((int)response.StatusCode, code);
    }

    /// <summary>Everything a rejected call could have changed: the webhooks (all of them), and the domain's requests and events.</summary>
    private async Task<string> SnapshotAsync(string domain)
    {
        await using var connection = new NpgsqlConnection(api.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT coalesce(string_agg((to_jsonb(w) - 'requests_error')::text, E'\n' ORDER BY w.id), '')
                   || (SELECT count(*) FROM webhook_requests r JOIN webhooks x ON x.id = r.webhook_ref WHERE x.domain_id = $1)::text
                   || '/' || (SELECT count(*) FROM events e WHERE e.domain_id = $1)::text
            FROM webhooks w
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = domain });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static List<FuzzCase> Generate(Random random, string domain, JsonObject webhook, JsonObject disabled)
    {
        var w = Id(webhook);
        var bodyRoutes = new (HttpMethod Method, string Url, string Valid)[]
        {
            (HttpMethod.Post, "/monitoring/v1/webhooks",
                $$$"""{"name": "n", "project_id": "p", "domain_id": "{{{domain}}}", "plugin_info": {"plugin_id": "plugin-test-ok"}, "tags": {"a": "b"}}"""),
            (HttpMethod.Put, $"/monitoring/v1/webhook/{w}", $$$"""{"domain_id": "{{{domain}}}", "name": "renamed", "tags": {"x": "y"}}"""),
            (HttpMethod.Put, $"/monitoring/v1/webhook/{w}/plugin",
                $$$"""{"domain_id": "{{{domain}}}", "version": "1.0.0", "options": {}, "upgrade_mode": "MANUAL"}"""),
            (HttpMethod.Post, $"/monitoring/v1/webhook/{w}/plugin/verify", $$$"""{"domain_id": "{{{domain}}}"}"""),
            (HttpMethod.Put, $"/monitoring/v1/webhook/{w}/enable", $$$"""{"domain_id": "{{{domain}}}"}"""),
            (HttpMethod.Put, $"/monitoring/v1/webhook/{w}/disable", $$$"""{"domain_id": "{{{domain}}}"}"""),
            (HttpMethod.Post, "/monitoring/v1/webhooks/search", $$$"""{"domain_id": "{{{domain}}}", "query": {"filter": [{"k": "name", "v": "n", "o": "eq"}]}}"""),
            (HttpMethod.Post, "/monitoring/v1/webhooks/stat",
                $$$"""{"domain_id": "{{{domain}}}", "query": {"aggregate": [{"group": {"keys": [{"key": "state", "name": "s"}], "fields": [{"operator": "count", "name": "c"}]}}]}}"""),
            (HttpMethod.Post, "/monitoring/v1/events/search", $$$$"""{"domain_id": "{{{{domain}}}}", "query": {"page": {"limit": 5}}}"""),
            (HttpMethod.Post, "/monitoring/v1/events/stat", $$$"""{"domain_id": "{{{domain}}}", "query": {"distinct": "severity"}}"""),
            (HttpMethod.Post, $"/monitoring/v1/webhook/{w}/events/replay", $$$"""{"domain_id": "{{{domain}}}", "dry_run": true}"""),
        };
        var queryRoutes = new[]
        {
            (HttpMethod.Get, $"/monitoring/v1/webhook/{w}"),
            (HttpMethod.Delete, $"/monitoring/v1/webhook/{w}"),
            (HttpMethod.Get, "/monitoring/v1/webhooks"),
            (HttpMethod.Get, "/monitoring/v1/event/event-000000000000"),
            (HttpMethod.Get, "/monitoring/v1/events"),
            (HttpMethod.Get, "/monitoring/v1/plugins"),
        };

        var cases = new List<FuzzCase>();
        void Add(string kind, HttpMethod method, string url, byte[]? body, string? contentType = null) =>
            cases.Add(new FuzzCase(kind, method, url, body, contentType, random.Next(12) == 0));

        foreach (var (method, url, valid) in bodyRoutes)
        {
            var validBytes = Encoding.UTF8.GetBytes(valid);
            for (var i = 0; i < 3; i++)
            {
                Add("truncated", method, url, validBytes[..random.Next(1, validBytes.Length - 1)]);
            }

            Add("garbage", method, url, RandomBytes(random, 1, 200, printable: true));
            Add("binary", method, url, RandomBytes(random, 1, 400, printable: false));
            Add("invalid-utf8", method, url, Splice(valid, "\"domain_id\": \"", [0xFF, 0xFE, 0xC3]));
            Add("raw-nul", method, url, Splice(valid, "\"domain_id\": \"", [0x00]));
            Add("nul-escape", method, url, Encoding.UTF8.GetBytes(ReplaceDomain(valid, domain, $"{domain}\\u0000")));
            Add("deep-array", method, url, Encoding.UTF8.GetBytes(WithField(valid, "zz_deep", new string('[', 5000) + new string(']', 5000))));
            Add("deep-object", method, url, Encoding.UTF8.GetBytes(
                WithField(valid, "zz_deep", string.Concat(Enumerable.Repeat("{\"a\":", 3000)) + "1" + new string('}', 3000))));
            Add("huge-string", method, url, Encoding.UTF8.GetBytes(WithField(valid, "domain_id", JsonSerializer.Serialize(new string('d', 1_000_000)))));
            Add("huge-array", method, url, Encoding.UTF8.GetBytes(
                WithField(valid, "domain_id", "[" + string.Join(",", Enumerable.Repeat("1", 200_000)) + "]")));
            foreach (var wrong in new[] { "123", "true", "[]", "{}", "-1.5e300" })
            {
                Add("wrong-type", method, url, Encoding.UTF8.GetBytes(WithField(valid, "domain_id", wrong)));
            }

            Add("unknown-field", method, url, Encoding.UTF8.GetBytes(WithField(valid, "zz_unknown_" + random.Next(1000), "1")));
            Add("duplicate-field", method, url, Encoding.UTF8.GetBytes(WithField(valid, "domain_id", $"\"{domain}\"", duplicate: true)));
            Add("out-of-range", method, url, Encoding.UTF8.GetBytes(WithField(valid, "zz_number", "1e400")));
            Add("empty-body", method, url, []);
            Add("missing-domain", method, url, Encoding.UTF8.GetBytes(ReplaceDomain(valid, domain, "")));
            Add("not-json-type", method, url, Encoding.UTF8.GetBytes(valid), "text/xml");
            Add("root-not-object", method, url, Encoding.UTF8.GetBytes(random.Next(2) == 0 ? "[1, 2]" : "\"text\""));
        }

        foreach (var (method, url) in bodyRoutes.Where(r => r.Url.EndsWith("search") || r.Url.EndsWith("stat")).Select(r => (r.Method, r.Url)))
        {
            foreach (var garbage in QueryGarbage)
            {
                Add("query-garbage", method, url, Encoding.UTF8.GetBytes($"{{\"domain_id\": \"{domain}\", \"query\": {garbage}}}"));
            }

            foreach (var regex in BadRegexes)
            {
                Add("bad-regex", method, url, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
                {
                    domain_id = domain,
                    query = new { filter = new[] { new { k = url.Contains("events") ? "title" : "name", v = regex, o = "regex" } } },
                })));
            }

            Add("many-conditions", method, url, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
            {
                domain_id = domain,
                query = new { filter = Enumerable.Range(0, 70_000).Select(i => new { k = url.Contains("events") ? "title" : "name", v = $"x{i}", o = "eq" }) },
            })));
        }

        var garbageParameters = new[]
        {
            // (Invalid UTF-8 and a repeated domain_id decode to a domain that merely does not exist: a 200 with
            // nothing in it, or 404 by id; invalid UTF-8 in bodies is among the body cases.)
            "domain_id=%00", "domain_id=", "projet_id=x", "only=", "only=%00", "only=nope.nope",
            "state=SLEEPING", "state=%C3", "page=1", "limit=-1",
            "domain_id=" + new string('x', 100_000), "only=" + string.Join("&only=", Enumerable.Repeat("name", 2000)),
            "severity=LOUD", "event_type=%E2%82", "webhook_id[]=1", "%ZZ=1",
        };
        foreach (var (method, url) in queryRoutes)
        {
            foreach (var parameter in garbageParameters)
            {
                var bad = parameter.StartsWith("domain_id", StringComparison.Ordinal) ? parameter : $"domain_id={domain}&{parameter}";
                Add("query-string", method, $"{url}?{bad}", null);
            }

            if (!url.EndsWith("/plugins", StringComparison.Ordinal))
            {
                Add("missing-domain", method, url, null);
            }
        }

        AddReceiverCases(random, webhook, disabled, Add);
        return cases;
    }

    private static void AddReceiverCases(
        Random random, JsonObject webhook, JsonObject disabled, Action<string, HttpMethod, string, byte[]?, string?> add)
    {
        var wrongKey = $"/monitoring/v1/webhook/{Id(webhook)}/{new string('0', 32)}/events";
        var bodies = new (string Kind, byte[] Body)[]
        {
            ("receiver-deep", Encoding.UTF8.GetBytes(new string('[', 100_000) + new string(']', 100_000))),
            ("receiver-nul", "{\"a\": \"\0\\u0000\"}"u8.ToArray()),
            ("receiver-invalid-utf8", [0x7B, 0xFF, 0xFE, 0x7D]),
            ("receiver-truncated", "{\"alerts\": [{\"status\": \"fir"u8.ToArray()),
            ("receiver-huge-string", Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new string('s', 2_000_000)))),
        };
        foreach (var (kind, body) in bodies)
        {
            add(kind + "/wrong-key", HttpMethod.Post, wrongKey, body, "application/json");
            add(kind + "/disabled", HttpMethod.Post, EventsPath(disabled), body, "application/json");
        }

        for (var i = 0; i < 20; i++)
        {
            var id = i % 2 == 0 ? $"webhook-{random.Next():x12}" : Uri.EscapeDataString(Encoding.UTF8.GetString(RandomBytes(random, 1, 40, printable: true)));
            add("receiver-unknown-webhook", HttpMethod.Post, $"/monitoring/v1/webhook/{id}/{random.Next():x32}/events", RandomBytes(random, 0, 300, printable: false), "text/plain");
        }

        // (A NUL in the path never reaches the app: the server refuses it, and the in-memory test server throws.)
        add("receiver-key-garbage", HttpMethod.Post, $"/monitoring/v1/webhook/{Id(webhook)}/%FF%FE%C3/events", "{}"u8.ToArray(), "application/json");
        add("receiver-huge-key", HttpMethod.Post, $"/monitoring/v1/webhook/{Id(webhook)}/{new string('k', 8000)}/events", "{}"u8.ToArray(), "application/json");
        add("receiver-oversized", HttpMethod.Post, EventsPath(webhook), new byte[5 * 1024 * 1024 + 1], "application/json");
        add("receiver-oversized-form", HttpMethod.Post, EventsPath(webhook), new byte[6 * 1024 * 1024], "application/x-www-form-urlencoded");
    }

    private static byte[] RandomBytes(Random random, int min, int max, bool printable)
    {
        var bytes = new byte[random.Next(min, max)];
        random.NextBytes(bytes);
        if (printable)
        {
            const string alphabet = "{}[]\":,.-+eE0123456789tfnul \\/abc\u0001";
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)alphabet[bytes[i] % alphabet.Length];
            }

            // Never a valid JSON document by accident: an unclosed string at the end.
            if (bytes.Length > 0)
            {
                bytes[^1] = (byte)'"';
                bytes[0] = (byte)'{';
            }
        }

        return bytes;
    }

    private static byte[] Splice(string valid, string after, byte[] inserted)
    {
        var at = valid.IndexOf(after, StringComparison.Ordinal) + after.Length;
        return [.. Encoding.UTF8.GetBytes(valid[..at]), .. inserted, .. Encoding.UTF8.GetBytes(valid[at..])];
    }

    private static string ReplaceDomain(string valid, string domain, string replacement) =>
        valid.Replace($"\"{domain}\"", $"\"{replacement}\"", StringComparison.Ordinal);

    /// <summary>The valid body with one top-level field set to raw JSON (added when absent, or repeated).</summary>
    private static string WithField(string valid, string name, string rawJson, bool duplicate = false)
    {
        var node = JsonNode.Parse(valid)!.AsObject();
        if (!duplicate && node.ContainsKey(name))
        {
            node.Remove(name);
        }

        var rest = node.ToJsonString();
        return "{" + $"\"{name}\": {rawJson}" + (rest == "{}" ? "}" : ", " + rest[1..]);
    }
}
