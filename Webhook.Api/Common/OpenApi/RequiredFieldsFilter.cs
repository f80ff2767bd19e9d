using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Webhook.Api.Common.OpenApi;

/// <summary>
/// Marks a request field required exactly when its validator answers ERROR_REQUIRED_PARAMETER for it, so the
/// document and the 400 cannot disagree. Dotted rule names (plugin_info.plugin_id) mark the nested object's field.
/// </summary>
internal sealed class RequiredFieldsFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        foreach (var scanned in AssemblyScanner.FindValidatorsInAssembly(typeof(Program).Assembly, includeInternalTypes: true))
        {
            var requestType = scanned.InterfaceType.GetGenericArguments()[0];
            if (!context.SchemaRepository.TryLookupByType(requestType, out var reference)
                || Activator.CreateInstance(scanned.ValidatorType) is not IValidator validator)
            {
                continue;
            }

            var required = validator.CreateDescriptor().GetMembersWithValidators()
                .Where(member => member.Any(rule => rule.Options.ErrorCode == ErrorCodes.RequiredParameter))
                .Select(member => member.Key);
            foreach (var path in required)
            {
                MarkRequired(document, reference, path.Split('.'));
            }
        }
    }

    private static void MarkRequired(OpenApiDocument document, IOpenApiSchema schema, ReadOnlySpan<string> path)
    {
        if (Resolve(document, schema) is not { Properties: { } properties } target
            || !properties.TryGetValue(path[0], out var property))
        {
            return;
        }

        if (path.Length > 1)
        {
            MarkRequired(document, property, path[1..]);
            return;
        }

        target.Required ??= new HashSet<string>();
        target.Required.Add(path[0]);
    }

    private static OpenApiSchema? Resolve(OpenApiDocument document, IOpenApiSchema schema) => schema switch
    {
        OpenApiSchemaReference { Reference.Id: { } id } when document.Components?.Schemas?.TryGetValue(id, out var found) == true =>
            found as OpenApiSchema,
        OpenApiSchema inline when inline.AllOf is [var only] => Resolve(document, only),
        OpenApiSchema inline => inline,
        _ => null,
    };
}
