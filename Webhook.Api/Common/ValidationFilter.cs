namespace Webhook.Api.Common;

/// <summary>
/// Runs the FluentValidation validator of the request argument of type <typeparamref name="TRequest"/> and
/// answers 400 with the first failure's code before the handler runs (so nothing is written).
/// </summary>
internal sealed class ValidationFilter<TRequest>(IValidator<TRequest> validator) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.Arguments.OfType<TRequest>().FirstOrDefault();
        if (request is null)
        {
            return await next(context);
        }

        var result = await validator.ValidateAsync(request, context.HttpContext.RequestAborted);
        if (result.IsValid)
        {
            return await next(context);
        }

        var first = result.Errors[0];
        var code = string.IsNullOrEmpty(first.ErrorCode) || !first.ErrorCode.StartsWith("ERROR_", StringComparison.Ordinal)
            ? ErrorCodes.InvalidArgument
            : first.ErrorCode;
        var errors = result.Errors
            .GroupBy(e => e.PropertyName)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
        var problem = Problems.Create(code, $"{first.ErrorMessage} (key = {first.PropertyName})", errors);
        return Problems.Result(problem);
    }
}

internal static class ValidationExtensions
{
    /// <summary>Opts an endpoint into validation of its <typeparamref name="TRequest"/> argument.</summary>
    public static RouteHandlerBuilder Validate<TRequest>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<ValidationFilter<TRequest>>().ProducesValidationProblem();

    /// <summary>
    /// Errors name fields as the wire spells them (domain_id, not DomainId). FluentValidation only has a global
    /// resolver, so the validators' unit tests call this too rather than depend on an app having started first.
    /// </summary>
    public static void NameFieldsAsOnTheWire()
    {
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.SnakeCaseLower.ConvertName(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = ValidatorOptions.Global.PropertyNameResolver;
    }

    /// <summary>
    /// Present, and plain text: no control characters (PostgreSQL cannot store NUL, and a failed statement is no
    /// way to find out) nor U+FFFD (what invalid UTF-8 decodes to), and not absurdly long.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> Required<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().WithErrorCode(ErrorCodes.RequiredParameter).WithMessage("Required parameter.")
            .Must(IsPlainText).WithErrorCode(ErrorCodes.InvalidArgument).WithMessage(NotPlainText)
            .MaximumLength(MaxRequiredLength).WithErrorCode(ErrorCodes.InvalidArgument)
            .WithMessage($"Must be at most {MaxRequiredLength} characters.");

    private const int MaxRequiredLength = 1024;

    private const string NotPlainText = "Must not contain control characters or invalid UTF-8.";

    private static bool IsPlainText(string? text) => text is null || !text.Any(c => char.IsControl(c) || c == '\uFFFD');

    public static IRuleBuilderOptions<T, JsonElement?> JsonObject<T>(this IRuleBuilder<T, JsonElement?> rule) =>
        rule.Must(e => e is null || e.Value.ValueKind == JsonValueKind.Object)
            .WithErrorCode(ErrorCodes.InvalidParameterType)
            .WithMessage("Must be a JSON object.");

    /// <summary>An optional id (a domain, a project, a webhook): plain text like <see cref="Required{T}"/>, and short.</summary>
    public static IRuleBuilderOptions<T, string?> Id<T>(this IRuleBuilder<T, string?> rule, int maxLength = 255) =>
        rule.Must(IsPlainText).WithErrorCode(ErrorCodes.InvalidArgument).WithMessage(NotPlainText)
            .MaximumLength(maxLength).WithErrorCode(ErrorCodes.InvalidArgument)
            .WithMessage($"Must be at most {maxLength} characters.");
}
