using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhook.Infrastructure.Events;

namespace Webhook.Infrastructure.Configurations;

internal sealed class WebhookRequestConfiguration : IEntityTypeConfiguration<WebhookRequest>
{
    public void Configure(EntityTypeBuilder<WebhookRequest> builder)
    {
        builder.ToTable("webhook_requests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).UseIdentityAlwaysColumn();
        builder.HasOne<Domain.Webhooks.Webhook>().WithMany().HasForeignKey(r => r.WebhookRef)
            .HasPrincipalKey(w => w.Id).OnDelete(DeleteBehavior.Cascade)
            .HasConstraintName("fk_webhook_requests_webhooks_webhook_ref");
        builder.Property(r => r.ContentType).IsRequired().HasDefaultValue("");
        builder.Property(r => r.Headers).HasColumnType("jsonb").HasDefaultValueSql("'{}'::jsonb");
        builder.Property(r => r.Payload).HasColumnType("jsonb");
        builder.Property(r => r.Status).IsRequired();

        // The worker's claim reads only pending rows in due order: a partial index stays as small as the backlog.
        builder.HasIndex(r => new { r.NextAttemptAt, r.Id }).HasDatabaseName("ix_webhook_requests_pending")
            .HasFilter("status = 'PENDING'");
        builder.HasIndex(r => new { r.WebhookRef, r.ReceivedAt }).HasDatabaseName("ix_webhook_requests_webhook_received");

        // Retention deletes the oldest requests in small batches.
        builder.HasIndex(r => r.ReceivedAt).HasDatabaseName("ix_webhook_requests_received");
        builder.Property(r => r.DomainId).IsRequired();
    }
}
