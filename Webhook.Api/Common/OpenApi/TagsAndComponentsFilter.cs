using System.Globalization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Webhook.Api.Common.OpenApi;

/// <summary>
/// Document-wide parts: a description per tag (a test fails for a tag without one), and no component schema left
/// unused (the framework's ProblemDetails shapes are replaced by <see cref="ProblemResponse"/>; the Bearer scheme
/// until a route needs a token).
/// </summary>
internal sealed class TagsAndComponentsFilter : IDocumentFilter
{
    public static readonly Dictionary<string, string> TagDescriptions = new()
    {
        ["Webhook"] = "Manage webhooks: create one bound to a plugin, change it, enable or disable it, read and search them.",
        ["Plugin"] = "The plugins a webhook can be bound to, from the registry in configuration.",
        ["Event"] = "Read the normalized events webhooks produced, search and aggregate them, replay stored requests.",
        ["Event receiver"] = "The secret URLs senders POST their payloads to; no bearer token, the access key authorizes.",
        ["Audit"] = "The audit log: every accepted change (who, when, route, webhook, changed fields), newest first.",
    };

    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        document.Tags = new HashSet<OpenApiTag>(
            (document.Tags ?? Enumerable.Empty<OpenApiTag>()).Select(tag => new OpenApiTag
            {
                Name = tag.Name,
                Description = tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description)
                    ? description
                    : tag.Description,
            }));

        RemoveUnused(document);
    }

    /// <summary>Drops schemas nothing refers to, and security schemes no operation asks for.</summary>
    private static void RemoveUnused(OpenApiDocument document)
    {
        if (document.Components?.SecuritySchemes is { } securitySchemes)
        {
            var asked = (document.Paths ?? [])
                .SelectMany(path => path.Value.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>())
                .SelectMany(operation => operation.Security ?? [])
                .SelectMany(requirement => requirement.Keys)
                .OfType<OpenApiSecuritySchemeReference>()
                .Select(reference => reference.Reference.Id)
                .ToHashSet();
            securitySchemes.Keys.Where(id => !asked.Contains(id)).ToList().ForEach(id => securitySchemes.Remove(id));
        }

        if (document.Components?.Schemas is not { } schemas)
        {
            return;
        }

        bool removed;
        do
        {
            var json = Serialize(document);
            var unused = schemas.Keys.Where(id => !json.Contains($"\"#/components/schemas/{id}\"", StringComparison.Ordinal)).ToList();
            unused.ForEach(id => schemas.Remove(id));
            removed = unused.Count > 0;
        }
        while (removed);
    }

    private static string Serialize(OpenApiDocument document)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        document.SerializeAsV3(new OpenApiJsonWriter(text));
        return text.ToString();
    }
}
