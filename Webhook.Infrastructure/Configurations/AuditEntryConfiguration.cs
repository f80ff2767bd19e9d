using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhook.Domain.Audit;

namespace Webhook.Infrastructure.Configurations;

/// <summary>No foreign key to webhooks: the trail of a deleted webhook stays.</summary>
internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_log");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.HasIndex(a => a.AuditId).IsUnique();
        builder.Property(a => a.Changes).HasColumnType("jsonb");
        // Audit search is always inside one domain, newest first.
        builder.HasIndex(a => new { a.DomainId, a.CreatedAt, a.Id }).HasDatabaseName("ix_audit_log_domain_created");
    }
}
