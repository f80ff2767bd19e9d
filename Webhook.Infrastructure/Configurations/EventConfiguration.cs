using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhook.Domain.Events;

namespace Webhook.Infrastructure.Configurations;

/// <summary>The events table the query language targets (ResourceSchemas.Events); rows are inserted by <see cref="Events.EventStore"/>.</summary>
internal sealed class EventConfiguration : IEntityTypeConfiguration<Event>
{
    public void Configure(EntityTypeBuilder<Event> builder)
    {
        builder.ToTable("events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.Property(e => e.EventId).IsRequired();
        builder.HasIndex(e => e.EventId).IsUnique().HasDatabaseName("ix_events_event_id");
        builder.Property(e => e.EventKey).IsRequired();
        builder.Property(e => e.EventType).IsRequired();
        builder.Property(e => e.Title).IsRequired();
        builder.Property(e => e.Severity).IsRequired();
        foreach (var text in new[] { "Description", "Rule", "ImageUrl", "Provider", "Account" })
        {
            builder.Property(text).IsRequired().HasDefaultValue("");
        }

        builder.Property(e => e.Resource).HasColumnType("jsonb").HasDefaultValueSql("'{}'::jsonb");
        builder.Property(e => e.AdditionalInfo).HasColumnType("jsonb").HasDefaultValueSql("'{}'::jsonb");
        builder.Property(e => e.RawData).HasColumnType("jsonb");
        builder.Property(e => e.Sequence).HasDefaultValue(0);
        builder.Property(e => e.WebhookId).IsRequired();
        builder.Property(e => e.ProjectId).IsRequired();
        builder.Property(e => e.DomainId).IsRequired();

        // Every read is within one domain; newest first is the default order. Severity rides along so counting a
        // domain's events by severity over a time range (per hour of a day, say) is an index-only scan.
        builder.HasIndex(e => new { e.DomainId, e.CreatedAt, e.Id }).HasDatabaseName("ix_events_domain_created")
            .IsDescending(false, true, true).IncludeProperties(e => e.Severity);
        builder.HasIndex(e => new { e.DomainId, e.WebhookId, e.CreatedAt }).HasDatabaseName("ix_events_domain_webhook_created")
            .IsDescending(false, false, true);
        builder.HasIndex(e => new { e.DomainId, e.EventKey }).HasDatabaseName("ix_events_domain_key");
        builder.HasIndex(e => new { e.DomainId, e.Severity }).HasDatabaseName("ix_events_domain_severity");

        // A raw request is parsed into events once: its id and the event's position make a second insert a no-op.
        builder.HasIndex(e => new { e.RequestId, e.Sequence }).IsUnique().HasDatabaseName("ux_events_request_sequence");
    }
}
