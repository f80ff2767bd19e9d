namespace Webhook.Tests.Fixtures;

public static class ApiClientExtensions
{
    public static string NewDomain() => "domain-" + Guid.NewGuid().ToString("N")[..12];

    public static async Task<JsonObject> CreateWebhookAsync(
        this HttpClient client, string domainId, string name = "hook", string pluginId = "plugin-test-ok",
        string projectId = "project-1", object? extra = null)
    {
        var body = new JsonObject
        {
            ["name"] = name,
            ["project_id"] = projectId,
            ["domain_id"] = domainId,
            ["plugin_info"] = new JsonObject { ["plugin_id"] = pluginId },
        };
        if (extra is not null)
        {
            foreach (var (key, value) in JsonSerializer.SerializeToNode(extra)!.AsObject())
            {
                body[key] = value?.DeepClone();
            }
        }

        var response = await client.PostAsJsonAsync("/monitoring/v1/webhooks", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"create answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Asserts a problem+json answer with this status and code; returns the body.</summary>
    public static async Task<JsonObject> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(code, (string?)body["code"]);
        Assert.Equal((int)status, (int?)body["status"]);
        return body;
    }

    public static Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string url, object body) =>
        client.SendAsync(new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) });

    public static Task<HttpResponseMessage> SendRawAsync(this HttpClient client, HttpMethod method, string url, string json) =>
        client.SendAsync(new HttpRequestMessage(method, url)
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        });
}
