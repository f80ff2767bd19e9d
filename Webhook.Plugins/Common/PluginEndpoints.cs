using Microsoft.AspNetCore.Http.HttpResults;

namespace Webhook.Plugins.Common;

internal sealed record InitResponse(JsonObject Metadata);

internal sealed record ParseResponse(IReadOnlyList<EventInfo> Results);

/// <summary>
/// The plugin HTTP protocol (init, verify, parse), mapped once per plugin under its base path.
/// Bodies are read by hand rather than bound, so that malformed JSON gets the protocol's
/// {"code","message"} answer instead of the framework's.
/// </summary>
internal static partial class PluginEndpoints
{
    public const string InitRoute = "/monitoring/plugin/v1/webhook/init";
    public const string VerifyRoute = "/monitoring/plugin/v1/webhook/verify";
    public const string ParseRoute = "/monitoring/plugin/v1/event/parse";

    public static IEndpointRouteBuilder MapPluginEndpoints(this IEndpointRouteBuilder app, IEnumerable<IWebhookPlugin> plugins)
    {
        foreach (var plugin in plugins)
        {
            var basePath = plugin.Descriptor.BasePath;
            var group = app.MapGroup("/" + basePath).WithTags(plugin.Descriptor.PluginId);

            group.MapPost(InitRoute, (HttpContext http, CancellationToken cancellationToken) => InitAsync(plugin, http, cancellationToken)).WithName($"{basePath}-init").WithSummary("Describe the plugin and check options");
            group.MapPost(VerifyRoute, (HttpContext http, CancellationToken cancellationToken) => VerifyAsync(plugin, http, cancellationToken)).WithName($"{basePath}-verify").WithSummary("Check options");
            group.MapPost(ParseRoute, (HttpContext http, CancellationToken cancellationToken) => ParseAsync(plugin, http, cancellationToken)).WithName($"{basePath}-parse").WithSummary("Turn a raw payload into events");
        }

        app.MapFallback(NotFound);
        return app;
    }

    private static async Task<Results<Ok<InitResponse>, BadRequest<PluginError>>> InitAsync(IWebhookPlugin plugin, HttpContext http, CancellationToken cancellationToken)
    {
        var request = await ReadRequestAsync(http.Request, cancellationToken);
        if (request.Error is not null)
        {
            return TypedResults.BadRequest(request.Error);
        }

        if (CheckOptions(plugin, request.Options, http) is { } optionsError)
        {
            return TypedResults.BadRequest(optionsError);
        }

        return TypedResults.Ok(new InitResponse(plugin.Descriptor.Metadata()));
    }

    private static async Task<Results<Ok<JsonObject>, BadRequest<PluginError>>> VerifyAsync(IWebhookPlugin plugin, HttpContext http, CancellationToken cancellationToken)
    {
        var request = await ReadRequestAsync(http.Request, cancellationToken);
        if (request.Error is not null)
        {
            return TypedResults.BadRequest(request.Error);
        }

        if (CheckOptions(plugin, request.Options, http) is { } optionsError)
        {
            return TypedResults.BadRequest(optionsError);
        }

        return TypedResults.Ok(new JsonObject());
    }

    private static async Task<Results<Ok<ParseResponse>, BadRequest<PluginError>>> ParseAsync(IWebhookPlugin plugin, HttpContext http, CancellationToken cancellationToken)
    {
        var request = await ReadRequestAsync(http.Request, cancellationToken);
        if (request.Error is not null)
        {
            return TypedResults.BadRequest(request.Error);
        }

        if (CheckOptions(plugin, request.Options, http) is { } optionsError)
        {
            return TypedResults.BadRequest(optionsError);
        }

        if (!request.Body!.TryGetPropertyValue("data", out var data))
        {
            return TypedResults.BadRequest(new PluginError(
                PluginErrorCodes.InvalidPayload,
                $"the parse request has no 'data'; expected {{\"options\": {{}}, \"data\": <{plugin.Descriptor.Formats[0]} payload>}}"));
        }

        var receivedAt = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        try
        {
            var events = await plugin.ParseAsync(JsonText.DecodeStringPayload(data), request.Options!, receivedAt, cancellationToken);
            return TypedResults.Ok(new ParseResponse(events));
        }
        catch (PayloadException e)
        {
            Log.PayloadRejected(Logger(http), plugin.Descriptor.PluginId, e.Message);
            return TypedResults.BadRequest(new PluginError(PluginErrorCodes.InvalidPayload, e.Message));
        }
        catch (OptionsException e)
        {
            Log.OptionsRejected(Logger(http), plugin.Descriptor.PluginId, e.Option, e.Message);
            return TypedResults.BadRequest(new PluginError(PluginErrorCodes.InvalidOptions, e.Message));
        }
    }

    private static NotFound<PluginError> NotFound(HttpRequest request) =>
        TypedResults.NotFound(new PluginError(PluginErrorCodes.NotFound, $"no plugin route {request.Method} {request.Path}"));

    private static PluginError? CheckOptions(IWebhookPlugin plugin, JsonObject? options, HttpContext http)
    {
        try
        {
            OptionChecker.Check(plugin.Descriptor.Options, options!);
            return null;
        }
        catch (OptionsException e)
        {
            Log.OptionsRejected(Logger(http), plugin.Descriptor.PluginId, e.Option, e.Message);
            return new PluginError(PluginErrorCodes.InvalidOptions, e.Message);
        }
    }

    private sealed record PluginRequest(JsonObject? Body, JsonObject? Options, PluginError? Error);

    private static async Task<PluginRequest> ReadRequestAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, documentOptions: JsonText.StrictDocument, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            return Invalid(PluginErrorCodes.InvalidRequest, $"the request body is not valid JSON: {e.Message}");
        }

        if (body is not JsonObject obj)
        {
            return Invalid(PluginErrorCodes.InvalidRequest, $"the request body must be a JSON object, got {JsonText.Kind(body)}");
        }

        // A missing or null "options" means "no options" (the API sends {} but other callers may omit it).
        if (!obj.TryGetPropertyValue("options", out var options) || options is null)
        {
            return new PluginRequest(obj, [], null);
        }

        return options is JsonObject optionsObject
            ? new PluginRequest(obj, optionsObject, null)
            : Invalid(PluginErrorCodes.InvalidOptions, $"option 'options' must be an object, got {JsonText.Kind(options)}");

        static PluginRequest Invalid(string code, string message) => new(null, null, new PluginError(code, message));
    }

    private static ILogger Logger(HttpContext http) =>
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PluginEndpoints).FullName!);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Plugin {PluginId} rejected options at {Option}: {Reason}")]
        public static partial void OptionsRejected(ILogger logger, string pluginId, string option, string reason);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Plugin {PluginId} rejected a payload: {Reason}")]
        public static partial void PayloadRejected(ILogger logger, string pluginId, string reason);
    }
}
