namespace Webhook.Infrastructure;

/// <summary>
/// The service's database. Migrations live in this project and are made with the Api as start-up project:
/// <c>dotnet ef migrations add &lt;Name&gt; -p Webhook.Infrastructure -s Webhook.Api -o Migrations</c>, with
/// <c>ConnectionStrings__Webhook</c> set (design time builds the Api's services, which need it; nothing is applied).
/// </summary>
public sealed class WebhookDbContext(DbContextOptions<WebhookDbContext> options) : DbContext(options)
{
    public DbSet<Domain.Webhooks.Webhook> Webhooks => Set<Domain.Webhooks.Webhook>();

    public DbSet<Domain.Events.Event> Events => Set<Domain.Events.Event>();

    public DbSet<Events.WebhookRequest> WebhookRequests => Set<Events.WebhookRequest>();

    public DbSet<Domain.Audit.AuditEntry> AuditEntries => Set<Domain.Audit.AuditEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(WebhookDbContext).Assembly);
}
