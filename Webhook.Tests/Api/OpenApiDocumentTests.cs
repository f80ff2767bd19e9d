namespace Webhook.Tests.Api;

/// <summary>
/// Guards the served OpenAPI document (what the linters in scripts/lint-openapi.sh and Swagger UI read), with no
/// network: rules hold for every operation and schema, so a new route is checked without being listed here.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiDocumentTests(ApiFixture api)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    [Fact]
    public async Task Document_FreeFormJsonFields_AreObjectsWithAnyMembers()
    {
        var document = await DocumentAsync();

        var schemas = document["components"]!["schemas"]!.AsObject();
        foreach (var (schema, property) in new[]
                 {
                     ("CreateWebhookRequest", "tags"), ("WebhookPluginInfoRequest", "options"), ("WebhookInfo", "tags"),
                     ("WebhookInfo", "capability"), ("WebhookPluginInfo", "options"), ("WebhookPluginInfo", "metadata"),
                     ("PluginInfo", "capability"), ("EventInfoResponse", "additional_info"), ("EventInfoResponse", "raw_data"),
                     ("EventInfoResponse", "resource"), ("WebhookQueryRequest", "query"), ("EventStatRequest", "query"),
                 })
        {
            var field = schemas[schema]!["properties"]![property]!;
            Assert.True((string?)field["type"] == "object", $"{schema}.{property} is not an object: {field.ToJsonString()}");
            Assert.True(field["additionalProperties"] is JsonObject { Count: 0 } || field["additionalProperties"]?.GetValueKind() == JsonValueKind.True,
                $"{schema}.{property} does not allow any member: {field.ToJsonString()}");
        }

        var text = document.ToJsonString();
        Assert.DoesNotContain("property_name_case_insensitive", text);
        Assert.DoesNotContain(schemas, schema => schema.Key.StartsWith("Json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Document_EveryErrorResponse_IsAProblemWithCode()
    {
        var document = await DocumentAsync();

        Assert.NotNull(document["components"]!["schemas"]!["ProblemResponse"]!["properties"]!["code"]);
        foreach (var (name, operation) in Operations(document))
        {
            var errors = operation["responses"]!.AsObject().Where(r => r.Key.StartsWith('4') || r.Key.StartsWith('5')).ToList();
            Assert.True(errors.Count > 0, $"{name} documents no error");
            foreach (var (status, response) in errors)
            {
                var schema = response!["content"]?["application/problem+json"]?["schema"]?["$ref"];
                Assert.True((string?)schema == "#/components/schemas/ProblemResponse", $"{name} {status} is not a problem");
                Assert.False(string.IsNullOrWhiteSpace((string?)response["description"]), $"{name} {status} has no description");
            }
        }
    }

    [Fact]
    public async Task Document_ErrorStatuses_AreTheOnesEachRouteAnswers()
    {
        var document = await DocumentAsync();

        string[] Statuses(string path, string method) =>
            [.. document["paths"]![path]![method]!["responses"]!.AsObject().Select(r => r.Key).Where(k => k != "200")];
        Assert.Superset(new HashSet<string>(["400", "409", "502", "503"]), Statuses("/monitoring/v1/webhooks", "post").ToHashSet());
        Assert.Superset(new HashSet<string>(["400", "404", "503"]), Statuses("/monitoring/v1/webhook/{webhook_id}", "get").ToHashSet());
        Assert.DoesNotContain("409", Statuses("/monitoring/v1/webhook/{webhook_id}", "get"));
        Assert.Superset(new HashSet<string>(["404", "502"]), Statuses("/monitoring/v1/webhook/{webhook_id}/events/replay", "post").ToHashSet());
        Assert.DoesNotContain("503", Statuses("/monitoring/v1/plugins", "get"));
        Assert.Equal(["400", "403", "413", "503"], Statuses("/monitoring/v1/webhook/{webhook_id}/{access_key}/events", "post")
            .Where(s => s != "429").Order());
    }

    [Fact]
    public async Task Document_EveryOperationSaysWhoMayCall_TokenRoutesDocument401And403_ReceiversAreAnonymous()
    {
        var document = await DocumentAsync();

        foreach (var (name, operation) in Operations(document))
        {
            var security = operation["security"]?.AsArray();
            Assert.True(security is not null, $"{name} does not say who may call it");
            if (IsReceiver(operation))
            {
                Assert.True(security.Count == 0, $"{name} is a receiver but asks for a token");
                continue;
            }

            if (security.Count > 0)
            {
                var responses = operation["responses"]!.AsObject();
                var bearer = document["components"]!["securitySchemes"]!["Bearer"]!;
                Assert.Equal("http", (string?)bearer["type"]);
                Assert.Equal("bearer", (string?)bearer["scheme"]);
                Assert.True(security[0]!["Bearer"] is not null, $"{name} asks for an undeclared scheme");
                Assert.True(responses.ContainsKey("401") && responses.ContainsKey("403"), $"{name} does not document 401 and 403");
                Assert.Contains("scope", (string?)operation["description"]);
            }
        }
    }

    [Fact]
    public async Task Document_BodiesHaveExamples_ReceiverTakesAnyBody()
    {
        var document = await DocumentAsync();

        foreach (var (name, operation) in Operations(document))
        {
            if (operation["requestBody"]?["content"]?["application/json"] is { } json)
            {
                Assert.True(json["example"] is JsonObject, $"{name} has no example body");
            }
        }

        var receiver = document["paths"]!["/monitoring/v1/webhook/{webhook_id}/{access_key}/events"]!["post"]!["requestBody"]!["content"]!;
        Assert.Equal("object", (string?)receiver["application/json"]!["schema"]!["type"]);
        Assert.Equal("string", (string?)receiver["text/plain"]!["schema"]!["type"]);
        Assert.NotNull(receiver["application/x-www-form-urlencoded"]);
    }

    [Fact]
    public async Task Document_RequiredFields_FollowTheValidators()
    {
        var document = await DocumentAsync();

        var schemas = document["components"]!["schemas"]!;
        string[] Required(string schema) => [.. schemas[schema]!["required"]?.AsArray().Select(n => (string)n!) ?? []];
        Assert.Superset(new HashSet<string>(["name", "plugin_info", "project_id"]), Required("CreateWebhookRequest").ToHashSet());
        Assert.Contains("plugin_id", Required("WebhookPluginInfoRequest"));
        Assert.Contains("query", Required("EventStatRequest"));
        Assert.DoesNotContain("name", Required("UpdateWebhookRequest"));
    }

    [Fact]
    public async Task Document_HasServersAndATagDescriptionPerTag()
    {
        var document = await DocumentAsync();

        Assert.StartsWith("http://", (string?)document["servers"]![0]!["url"]);
        var described = document["tags"]!.AsArray().ToDictionary(t => (string)t!["name"]!, t => (string?)t!["description"]);
        foreach (var (name, operation) in Operations(document))
        {
            foreach (var tag in operation["tags"]!.AsArray().Select(t => (string)t!))
            {
                Assert.True(described.TryGetValue(tag, out var description) && !string.IsNullOrWhiteSpace(description),
                    $"{name}'s tag '{tag}' has no description (TagsAndComponentsFilter.TagDescriptions)");
            }
        }
    }

    private async Task<JsonObject> DocumentAsync() =>
        await (await api.Client.GetAsync("/swagger/v1/swagger.json")).JsonAsync();

    private static bool IsReceiver(JsonNode operation) =>
        operation["tags"]!.AsArray().Any(t => (string?)t == "Event receiver");

    private static IEnumerable<(string Name, JsonNode Operation)> Operations(JsonObject document) =>
        from path in document["paths"]!.AsObject()
        from method in Methods
        let operation = path.Value![method]
        where operation is not null
        select ($"{method.ToUpperInvariant()} {path.Key}", operation);
}
