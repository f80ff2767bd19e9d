using System;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Webhook.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class AddEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    event_id = table.Column<string>(type: "text", nullable: false),
                    event_key = table.Column<string>(type: "text", nullable: false),
                    event_type = table.Column<string>(type: "text", nullable: false),
                    title = table.Column<string>(type: "text", nullable: false),
                    description = table.Column<string>(type: "text", nullable: false, defaultValue: ""),
                    severity = table.Column<string>(type: "text", nullable: false),
                    resource = table.Column<JsonElement>(type: "jsonb", nullable: false, defaultValueSql: "'{}'::jsonb"),
                    rule = table.Column<string>(type: "text", nullable: false, defaultValue: ""),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    additional_info = table.Column<JsonElement>(type: "jsonb", nullable: false, defaultValueSql: "'{}'::jsonb"),
                    image_url = table.Column<string>(type: "text", nullable: false, defaultValue: ""),
                    provider = table.Column<string>(type: "text", nullable: false, defaultValue: ""),
                    account = table.Column<string>(type: "text", nullable: false, defaultValue: ""),
                    raw_data = table.Column<JsonElement>(type: "jsonb", nullable: true),
                    request_id = table.Column<long>(type: "bigint", nullable: true),
                    sequence = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    webhook_id = table.Column<string>(type: "text", nullable: false),
                    project_id = table.Column<string>(type: "text", nullable: false),
                    domain_id = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_requests",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    webhook_ref = table.Column<long>(type: "bigint", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    content_type = table.Column<string>(type: "text", nullable: false, defaultValue: ""),
                    headers = table.Column<JsonElement>(type: "jsonb", nullable: false, defaultValueSql: "'{}'::jsonb"),
                    payload = table.Column<JsonElement>(type: "jsonb", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_error = table.Column<string>(type: "text", nullable: true),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_requests", x => x.id);
                    table.ForeignKey(
                        name: "fk_webhook_requests_webhooks_webhook_ref",
                        column: x => x.webhook_ref,
                        principalTable: "webhooks",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_events_domain_created",
                table: "events",
                columns: new[] { "domain_id", "created_at", "id" },
                descending: new[] { false, true, true });

            migrationBuilder.CreateIndex(
                name: "ix_events_domain_key",
                table: "events",
                columns: new[] { "domain_id", "event_key" });

            migrationBuilder.CreateIndex(
                name: "ix_events_domain_severity",
                table: "events",
                columns: new[] { "domain_id", "severity" });

            migrationBuilder.CreateIndex(
                name: "ix_events_domain_webhook_created",
                table: "events",
                columns: new[] { "domain_id", "webhook_id", "created_at" },
                descending: new[] { false, false, true });

            migrationBuilder.CreateIndex(
                name: "ix_events_event_id",
                table: "events",
                column: "event_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_events_request_sequence",
                table: "events",
                columns: new[] { "request_id", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_webhook_requests_pending",
                table: "webhook_requests",
                columns: new[] { "next_attempt_at", "id" },
                filter: "status = 'PENDING'");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_requests_webhook_received",
                table: "webhook_requests",
                columns: new[] { "webhook_ref", "received_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "events");

            migrationBuilder.DropTable(
                name: "webhook_requests");
        }
    }
}
