namespace Webhook.Api.Webhooks;

internal sealed class CreateWebhookRequestValidator : AbstractValidator<CreateWebhookRequest>
{
    public CreateWebhookRequestValidator()
    {
        RuleFor(r => r.Name).Required().MaximumLength(Domain.Webhooks.Webhook.MaxNameLength)
            .WithMessage($"Must be at most {Domain.Webhooks.Webhook.MaxNameLength} characters.");
        RuleFor(r => r.PluginInfo).NotNull().WithErrorCode(ErrorCodes.RequiredParameter).WithMessage("Required parameter.");
        RuleFor(r => r.PluginInfo!.PluginId).Required().Id().OverridePropertyName("plugin_info.plugin_id")
            .When(r => r.PluginInfo is not null);
        RuleFor(r => r.PluginInfo!.Options).JsonObject().OverridePropertyName("plugin_info.options")
            .When(r => r.PluginInfo is not null);
        RuleFor(r => r.Tags).JsonObject();
        RuleFor(r => r.ProjectId).Required().Id();
        RuleFor(r => r.DomainId).Id();
    }
}

internal sealed class UpdateWebhookRequestValidator : AbstractValidator<UpdateWebhookRequest>
{
    public UpdateWebhookRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().WithMessage("Must not be empty when given.")
            .MaximumLength(Domain.Webhooks.Webhook.MaxNameLength)
            .WithMessage($"Must be at most {Domain.Webhooks.Webhook.MaxNameLength} characters.")
            .When(r => r.Name is not null);
        RuleFor(r => r.Tags).JsonObject();
        RuleFor(r => r.DomainId).Id();
    }
}

internal sealed class UpdateWebhookPluginRequestValidator : AbstractValidator<UpdateWebhookPluginRequest>
{
    public UpdateWebhookPluginRequestValidator()
    {
        RuleFor(r => r.Options).JsonObject();
        RuleFor(r => r.DomainId).Id();
    }
}

internal sealed class RotateAccessKeyRequestValidator : AbstractValidator<RotateAccessKeyRequest>
{
    public RotateAccessKeyRequestValidator()
    {
        RuleFor(r => r.GraceSeconds).InclusiveBetween(0, (long)Domain.Webhooks.Webhook.MaxKeyGrace.TotalSeconds)
            .WithErrorCode(ErrorCodes.InvalidArgument)
            .WithMessage($"Must be between 0 and {(long)Domain.Webhooks.Webhook.MaxKeyGrace.TotalSeconds}.");
        RuleFor(r => r.DomainId).Id();
    }
}

internal sealed class WebhookRequestValidator : AbstractValidator<WebhookRequest>
{
    public WebhookRequestValidator() => RuleFor(r => r.DomainId).Id();
}

internal sealed class GetWebhookRequestValidator : AbstractValidator<GetWebhookRequest>
{
    public GetWebhookRequestValidator() => RuleFor(r => r.DomainId).Id();
}

internal sealed class DeleteWebhookRequestValidator : AbstractValidator<DeleteWebhookRequest>
{
    public DeleteWebhookRequestValidator() => RuleFor(r => r.DomainId).Id();
}

internal sealed class ListWebhooksRequestValidator : AbstractValidator<ListWebhooksRequest>
{
    public ListWebhooksRequestValidator() => RuleFor(r => r.DomainId).Id();
}

internal sealed class WebhookQueryRequestValidator : AbstractValidator<WebhookQueryRequest>
{
    public WebhookQueryRequestValidator() => RuleFor(r => r.DomainId).Id();
}

internal sealed class WebhookStatRequestValidator : AbstractValidator<WebhookStatRequest>
{
    public WebhookStatRequestValidator()
    {
        RuleFor(r => r.DomainId).Id();
        RuleFor(r => r.Query).NotNull().WithErrorCode(ErrorCodes.RequiredParameter).WithMessage("Required parameter.");
    }
}

internal sealed class SetHeartbeatRequestValidator : AbstractValidator<SetHeartbeatRequest>
{
    public SetHeartbeatRequestValidator()
    {
        RuleFor(r => r.DomainId).Id();
        RuleFor(r => r.IntervalSeconds).NotNull().WithErrorCode(ErrorCodes.RequiredParameter).WithMessage("Required parameter.");
        RuleFor(r => r.IntervalSeconds).Must(s => s is null || Domain.Webhooks.Webhook.IsHeartbeatInterval(s.Value))
            .WithErrorCode(ErrorCodes.InvalidArgument)
            .WithMessage($"Must be 0 (off) or {Domain.Webhooks.Webhook.MinHeartbeatSeconds}..{Domain.Webhooks.Webhook.MaxHeartbeatSeconds} seconds.");
    }
}
