using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Webhook.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class IncludeSeverityInEventsCreatedIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_events_domain_created",
                table: "events");

            migrationBuilder.CreateIndex(
                name: "ix_events_domain_created",
                table: "events",
                columns: new[] { "domain_id", "created_at", "id" },
                descending: new[] { false, true, true })
                .Annotation("Npgsql:IndexInclude", new[] { "severity" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_events_domain_created",
                table: "events");

            migrationBuilder.CreateIndex(
                name: "ix_events_domain_created",
                table: "events",
                columns: new[] { "domain_id", "created_at", "id" },
                descending: new[] { false, true, true });
        }
    }
}
