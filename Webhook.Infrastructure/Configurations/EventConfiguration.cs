using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhook.Domain.Events;

namespace Webhook.Infrastructure.Configurations;

/// <summary>
/// The events table the query language targets (ResourceSchemas.Events); rows are inserted by
/// <see cref="Events.EventStore"/>. The table is partitioned by month of created_at (migration PartitionEvents,
/// Retention.StorageMaintenance), which EF cannot express: PostgreSQL wants the partition key in the
/// primary key and in every unique index, so the key is (id, created_at, domain_id) and no index here is unique.
/// </summary>
internal sealed class EventConfiguration : IEntityTypeConfiguration<Event>
{
    public void Configure(EntityTypeBuilder<Event> builder)
    {
        builder.ToTable("events");
        // created_at because the table is partitioned by it, domain_id because Citus wants it in every key
        // (docs/scaling.md); id alone is what identifies the row.
        builder.HasKey(e => new { e.Id, e.CreatedAt, e.DomainId }).HasName("pk_events");
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.Property(e => e.EventId).IsRequired();

        // Not unique: a unique index on a partitioned table must hold created_at, which would make it unique per
        // instant only. EventStore checks a new id against every partition instead.
        builder.HasIndex(e => e.EventId).HasDatabaseName("ix_events_event_id");
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
        // The payload is stored once, with the raw request; the query schema reads it through request_id.
        builder.Ignore(e => e.RawData);
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

        // Replay replaces a request's events. A request's events are stored once because the statement that stores
        // them is the one that moves the request from PENDING to DONE (EventStore).
        builder.HasIndex(e => new { e.RequestId, e.Sequence }).HasDatabaseName("ix_events_request_sequence");
    }
}
