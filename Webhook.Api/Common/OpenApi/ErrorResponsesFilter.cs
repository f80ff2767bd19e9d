using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Webhook.Api.Common.OpenApi;

/// <summary>
/// Documents the error statuses each operation can really answer, all as problem+json with <see cref="ProblemResponse"/>.
/// Statuses come from the endpoint's metadata, never a list per route:
/// - declared ones (<c>ProducesProblem</c> on the route or its group, validation's 400);
/// - 400 for any operation that binds parameters or a body (malformed JSON, wrong types, unknown fields);
/// - 401 and 403 for any operation that needs a token;
/// - 404 for any management operation naming a resource in its path (another domain's is "not found"); the anonymous
///   receivers answer 403 for an unknown webhook instead.
/// </summary>
internal sealed class ErrorResponsesFilter : IOperationFilter
{
    public const string ProblemContentType = "application/problem+json";

    private static readonly Dictionary<int, string> Meanings = new()
    {
        [400] = "Bad request: a missing or invalid field, malformed JSON, an unknown field or query parameter, a bad "
            + "query, an unknown plugin or version, options the plugin rejected, or (receiver) a disabled webhook. "
            + "`code` says which (ERROR_REQUIRED_PARAMETER, ERROR_INVALID_ARGUMENT, ERROR_INVALID_QUERY, ...); nothing was changed.",
        [401] = "ERROR_AUTHENTICATE_FAILURE: no valid bearer token (missing, malformed, expired, wrong issuer, audience "
            + "or signature).",
        [403] = "ERROR_PERMISSION_DENIED: the token's domain, scope or projects do not cover the request, or (receiver) "
            + "the webhook or its access key is unknown.",
        [404] = "ERROR_NOT_FOUND: no such resource in the caller's domain and projects.",
        [409] = "ERROR_NOT_UNIQUE: the name is already used in that project.",
        [413] = "ERROR_PAYLOAD_TOO_LARGE: the body is over the configured limit.",
        [429] = "ERROR_RATE_LIMITED: over the webhook's or the sender's limit; retry after the Retry-After header's seconds.",
        [502] = "ERROR_PLUGIN_UNAVAILABLE: the plugin timed out, refused the connection or answered 5xx; nothing was stored.",
        [503] = "ERROR_SERVICE_UNAVAILABLE: the database is unreachable or the ingest buffer is full; nothing was "
            + "accepted. Retry after the Retry-After header's seconds.",
    };

    private static readonly HashSet<int> WithRetryAfter = [429, 503];

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var needsToken = metadata.OfType<IAuthorizeData>().Any() && !anonymous;
        var statuses = (operation.Responses ?? [])
            .Select(response => int.TryParse(response.Key, out var status) ? status : 0)
            .Where(status => status >= 400)
            .ToHashSet();
        if (operation.Parameters is { Count: > 0 } || operation.RequestBody is not null)
        {
            statuses.Add(400);
        }

        if (needsToken)
        {
            statuses.UnionWith([401, 403]);
        }

        if (!anonymous && context.ApiDescription.ParameterDescriptions.Any(p => p.Source.Id == "Path"))
        {
            statuses.Add(404);
        }

        var problem = context.SchemaGenerator.GenerateSchema(typeof(ProblemResponse), context.SchemaRepository);
        operation.Responses ??= [];
        foreach (var status in statuses)
        {
            operation.Responses[status.ToString(CultureInfo.InvariantCulture)] = Response(status, problem);
        }

        // Readers expect the success first, then the errors in order.
        var ordered = operation.Responses.OrderBy(response => response.Key, StringComparer.Ordinal).ToList();
        operation.Responses.Clear();
        ordered.ForEach(response => operation.Responses.Add(response.Key, response.Value));
    }

    private static OpenApiResponse Response(int status, IOpenApiSchema problem)
    {
        var response = new OpenApiResponse
        {
            Description = Meanings.TryGetValue(status, out var meaning) ? meaning : "An error; `code` says which.",
            Content = new Dictionary<string, IOpenApiMediaType> { [ProblemContentType] = new OpenApiMediaType { Schema = problem } },
        };
        if (WithRetryAfter.Contains(status))
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds to wait before retrying.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
                },
            };
        }
        else if (status == 401)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["WWW-Authenticate"] = new OpenApiHeader
                {
                    Description = "Bearer, with error=\"invalid_token\" when a token was sent.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                },
            };
        }

        return response;
    }
}
