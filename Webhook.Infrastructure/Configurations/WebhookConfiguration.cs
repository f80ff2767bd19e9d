using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Webhook.Infrastructure.Configurations;

internal sealed class WebhookConfiguration : IEntityTypeConfiguration<Domain.Webhooks.Webhook>
{
    private const string HeartbeatRecoveredAt = "HeartbeatRecoveredAt";

    public void Configure(EntityTypeBuilder<Domain.Webhooks.Webhook> builder)
    {
        builder.ToTable("webhooks");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Id).UseIdentityAlwaysColumn();
        builder.Property(w => w.WebhookId).IsRequired();
        builder.HasIndex(w => w.WebhookId).IsUnique();
        builder.Property(w => w.Name).IsRequired().HasMaxLength(Domain.Webhooks.Webhook.MaxNameLength);
        builder.Property(w => w.State).HasConversion<string>();
        builder.Property(w => w.UpgradeMode).HasConversion<string>();
        builder.Property(w => w.HeartbeatState).HasConversion<string>().HasDefaultValue(Domain.Webhooks.HeartbeatState.OK);
        builder.Property(w => w.HeartbeatIntervalSeconds).HasDefaultValue(0);
        builder.Property(w => w.PluginVersion).HasColumnName("plugin_version");
        foreach (var bag in new[] { "Capability", "PluginOptions", "PluginMetadata", "Tags" })
        {
            builder.Property(bag).HasColumnType("jsonb").HasDefaultValueSql("'{}'::jsonb");
        }

        builder.Ignore(w => w.Plugin);

        // Names are unique per project; the list/search indexes all lead with domain_id because every
        // query is scoped to one domain, and sort names ordinally (COLLATE "C") as the query language does.
        // INCLUDE (state): per-project and per-state statistics over a domain become index-only scans.
        builder.HasIndex(w => new { w.DomainId, w.ProjectId, w.Name }).IsUnique()
            .HasDatabaseName("ix_webhooks_domain_project_name").IncludeProperties(w => w.State);
        builder.HasIndex(w => new { w.DomainId, w.Name, w.Id })
            .HasDatabaseName("ix_webhooks_domain_name").UseCollation(null!, "C", null!);
        builder.HasIndex(w => new { w.DomainId, w.State, w.Name, w.Id })
            .HasDatabaseName("ix_webhooks_domain_state_name").UseCollation(null!, null!, "C", null!);
        builder.HasIndex(w => new { w.DomainId, w.CreatedAt, w.Id })
            .HasDatabaseName("ix_webhooks_domain_created");

        // The heartbeat job looks across every domain for webhooks that could fall silent: the index holds only
        // those, so its check every few seconds costs nothing for the (many) webhooks without a heartbeat.
        builder.HasIndex(w => w.Id).HasDatabaseName("ix_webhooks_heartbeat_watched")
            .HasFilter($"heartbeat_interval_seconds > 0 AND heartbeat_state = '{nameof(Domain.Webhooks.HeartbeatState.OK)}' AND state = '{Domain.Webhooks.Webhook.StateAcceptingEvents}'");

        // Set by the ingest statement when a request ends a silence, cleared by the heartbeat job as it writes the
        // RECOVERY: the job's to-do list, so not part of the entity. The index holds only the (few) rows set.
        builder.Property<DateTimeOffset?>(HeartbeatRecoveredAt).HasColumnName("heartbeat_recovered_at");
        builder.HasIndex(HeartbeatRecoveredAt).HasDatabaseName("ix_webhooks_heartbeat_recovered")
            .HasFilter("heartbeat_recovered_at IS NOT NULL");
    }
}
