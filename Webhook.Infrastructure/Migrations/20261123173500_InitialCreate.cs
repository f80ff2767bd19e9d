using System;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Webhook.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "webhooks",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    webhook_id = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    state = table.Column<string>(type: "text", nullable: false),
                    access_key = table.Column<string>(type: "text", nullable: false),
                    webhook_url = table.Column<string>(type: "text", nullable: false),
                    capability = table.Column<JsonElement>(type: "jsonb", nullable: false, defaultValueSql: "'{}'::jsonb"),
                    plugin_id = table.Column<string>(type: "text", nullable: false),
                    plugin_version = table.Column<string>(type: "text", nullable: false),
                    plugin_options = table.Column<JsonElement>(type: "jsonb", nullable: false, defaultValueSql: "'{}'::jsonb"),
                    plugin_metadata = table.Column<JsonElement>(type: "jsonb", nullable: false, defaultValueSql: "'{}'::jsonb"),
                    upgrade_mode = table.Column<string>(type: "text", nullable: false),
                    tags = table.Column<JsonElement>(type: "jsonb", nullable: false, defaultValueSql: "'{}'::jsonb"),
                    requests_total = table.Column<long>(type: "bigint", nullable: false),
                    requests_error = table.Column<long>(type: "bigint", nullable: false),
                    project_id = table.Column<string>(type: "text", nullable: false),
                    domain_id = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhooks", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_webhooks_domain_created",
                table: "webhooks",
                columns: new[] { "domain_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_webhooks_domain_name",
                table: "webhooks",
                columns: new[] { "domain_id", "name", "id" })
                .Annotation("Relational:Collation", new[] { null, "C", null });

            migrationBuilder.CreateIndex(
                name: "ix_webhooks_domain_project_name",
                table: "webhooks",
                columns: new[] { "domain_id", "project_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_webhooks_domain_state_name",
                table: "webhooks",
                columns: new[] { "domain_id", "state", "name", "id" })
                .Annotation("Relational:Collation", new[] { null, null, "C", null });

            migrationBuilder.CreateIndex(
                name: "ix_webhooks_webhook_id",
                table: "webhooks",
                column: "webhook_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "webhooks");
        }
    }
}
