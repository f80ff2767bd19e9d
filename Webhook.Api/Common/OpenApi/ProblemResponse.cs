using System.ComponentModel;

namespace Webhook.Api.Common.OpenApi;

/// <summary>The shape of every error body (RFC 9457 plus <c>code</c>), for the API document; <see cref="Problems"/> builds them.</summary>
public sealed record ProblemResponse(
    [property: Description("A URI naming the kind of problem.")] string? Type,
    [property: Description("Short summary of the kind of problem.")] string Title,
    [property: Description("The HTTP status.")] int Status,
    [property: Description("What was wrong, naming the field as \"(key = ...)\" when one is at fault.")] string Detail,
    [property: Description("SpaceONE-style error code, e.g. ERROR_REQUIRED_PARAMETER or ERROR_NOT_FOUND.")] string Code,
    [property: Description("For validation: the messages per field, keyed by its path on the wire.")] IReadOnlyDictionary<string, string[]>? Errors,
    [property: Description("Quote it when reporting a problem: it finds the request in the logs.")] string TraceId);
