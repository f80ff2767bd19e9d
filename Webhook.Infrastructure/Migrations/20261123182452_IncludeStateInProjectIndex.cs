using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Webhook.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class IncludeStateInProjectIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_webhooks_domain_project_name",
                table: "webhooks");

            migrationBuilder.CreateIndex(
                name: "ix_webhooks_domain_project_name",
                table: "webhooks",
                columns: new[] { "domain_id", "project_id", "name" },
                unique: true)
                .Annotation("Npgsql:IndexInclude", new[] { "state" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_webhooks_domain_project_name",
                table: "webhooks");

            migrationBuilder.CreateIndex(
                name: "ix_webhooks_domain_project_name",
                table: "webhooks",
                columns: new[] { "domain_id", "project_id", "name" },
                unique: true);
        }
    }
}
