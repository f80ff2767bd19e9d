using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Webhook.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class Heartbeat : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "enabled_at",
                table: "webhooks",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            // A webhook that exists already was enabled (or created) no later than it was created: start its clock there.
            migrationBuilder.Sql("UPDATE webhooks SET enabled_at = created_at;");

            migrationBuilder.AddColumn<int>(
                name: "heartbeat_interval_seconds",
                table: "webhooks",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "heartbeat_set_at",
                table: "webhooks",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "heartbeat_state",
                table: "webhooks",
                type: "text",
                nullable: false,
                defaultValue: "OK");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_request_at",
                table: "webhooks",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "heartbeat_recovered_at",
                table: "webhooks",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_webhooks_heartbeat_recovered",
                table: "webhooks",
                column: "heartbeat_recovered_at",
                filter: "heartbeat_recovered_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_webhooks_heartbeat_watched",
                table: "webhooks",
                column: "id",
                filter: "heartbeat_interval_seconds > 0 AND heartbeat_state = 'OK' AND state = 'ENABLED'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_webhooks_heartbeat_watched",
                table: "webhooks");

            migrationBuilder.DropIndex(
                name: "ix_webhooks_heartbeat_recovered",
                table: "webhooks");

            migrationBuilder.DropColumn(
                name: "heartbeat_recovered_at",
                table: "webhooks");

            migrationBuilder.DropColumn(
                name: "enabled_at",
                table: "webhooks");

            migrationBuilder.DropColumn(
                name: "heartbeat_interval_seconds",
                table: "webhooks");

            migrationBuilder.DropColumn(
                name: "heartbeat_set_at",
                table: "webhooks");

            migrationBuilder.DropColumn(
                name: "heartbeat_state",
                table: "webhooks");

            migrationBuilder.DropColumn(
                name: "last_request_at",
                table: "webhooks");
        }
    }
}
