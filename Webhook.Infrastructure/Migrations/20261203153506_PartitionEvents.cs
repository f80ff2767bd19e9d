using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Webhook.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class PartitionEvents : Migration
    {
        /// <summary>
        /// Raw payloads stored once (events read them through request_id), every table carrying domain_id, and events
        /// partitioned by month of created_at. EF cannot express partitions, so the events table is rebuilt here by
        /// hand: a new partitioned table (one partition per month that holds rows, plus this month and the next, and
        /// a DEFAULT one as the safety net), the rows moved over, the old table dropped. The model snapshot matches
        /// the result.
        /// </summary>
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE webhook_requests ADD COLUMN domain_id text;
                UPDATE webhook_requests r SET domain_id = w.domain_id FROM webhooks w WHERE w.id = r.webhook_ref;
                ALTER TABLE webhook_requests ALTER COLUMN domain_id SET NOT NULL;
                CREATE INDEX ix_webhook_requests_received ON webhook_requests (received_at);

                ALTER TABLE events RENAME TO events_unpartitioned;
                ALTER TABLE events_unpartitioned RENAME CONSTRAINT pk_events TO pk_events_unpartitioned;
                DROP INDEX ix_events_domain_created, ix_events_domain_key, ix_events_domain_severity,
                    ix_events_domain_webhook_created, ix_events_event_id, ux_events_request_sequence;

                CREATE TABLE events (
                    id bigint GENERATED ALWAYS AS IDENTITY,
                    event_id text NOT NULL,
                    event_key text NOT NULL,
                    event_type text NOT NULL,
                    title text NOT NULL,
                    description text NOT NULL DEFAULT '',
                    severity text NOT NULL,
                    resource jsonb NOT NULL DEFAULT '{}'::jsonb,
                    rule text NOT NULL DEFAULT '',
                    occurred_at timestamp with time zone,
                    additional_info jsonb NOT NULL DEFAULT '{}'::jsonb,
                    image_url text NOT NULL DEFAULT '',
                    provider text NOT NULL DEFAULT '',
                    account text NOT NULL DEFAULT '',
                    request_id bigint,
                    sequence integer NOT NULL DEFAULT 0,
                    webhook_id text NOT NULL,
                    project_id text NOT NULL,
                    domain_id text NOT NULL,
                    created_at timestamp with time zone NOT NULL,
                    CONSTRAINT pk_events PRIMARY KEY (id, created_at, domain_id)
                ) PARTITION BY RANGE (created_at);
                CREATE INDEX ix_events_domain_created ON events (domain_id, created_at DESC, id DESC) INCLUDE (severity);
                CREATE INDEX ix_events_domain_key ON events (domain_id, event_key);
                CREATE INDEX ix_events_domain_severity ON events (domain_id, severity);
                CREATE INDEX ix_events_domain_webhook_created ON events (domain_id, webhook_id, created_at DESC);
                CREATE INDEX ix_events_event_id ON events (event_id);
                CREATE INDEX ix_events_request_sequence ON events (request_id, sequence);

                -- The one way partitions are made (this migration and StorageMaintenance): events_YYYY_MM holds one
                -- UTC month. Serialised by an advisory lock, so processes creating the same month do not collide.
                -- Rows that fell into DEFAULT for that month (the job did not run ahead in time) are moved into it,
                -- since PostgreSQL refuses a partition whose range DEFAULT still holds rows of.
                CREATE FUNCTION webhook_events_partition(at timestamptz) RETURNS text LANGUAGE plpgsql AS $fn$
                DECLARE
                    first_day timestamp := date_trunc('month', at AT TIME ZONE 'UTC');
                    starts timestamptz := first_day AT TIME ZONE 'UTC';
                    ends timestamptz := (first_day + interval '1 month') AT TIME ZONE 'UTC';
                    partition_name text := 'events_' || to_char(first_day, 'YYYY_MM');
                    strays boolean := false;
                BEGIN
                    PERFORM pg_advisory_xact_lock(hashtext('webhook_events_partition'));
                    IF to_regclass(partition_name) IS NOT NULL THEN
                        RETURN partition_name;
                    END IF;
                    IF to_regclass('events_default') IS NOT NULL THEN
                        strays := EXISTS (SELECT 1 FROM events_default WHERE created_at >= starts AND created_at < ends);
                    END IF;
                    IF strays THEN
                        CREATE TEMP TABLE webhook_stray_events AS
                            WITH moved AS (DELETE FROM events_default WHERE created_at >= starts AND created_at < ends RETURNING *)
                            SELECT * FROM moved;
                    END IF;
                    EXECUTE format('CREATE TABLE %I PARTITION OF events FOR VALUES FROM (%L) TO (%L)', partition_name, starts, ends);
                    IF strays THEN
                        INSERT INTO events OVERRIDING SYSTEM VALUE SELECT * FROM webhook_stray_events;
                        DROP TABLE webhook_stray_events;
                    END IF;
                    RETURN partition_name;
                END
                $fn$;

                SELECT webhook_events_partition(month) FROM (
                    SELECT DISTINCT date_trunc('month', created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS month
                    FROM events_unpartitioned
                    UNION SELECT now() UNION SELECT now() + interval '1 month') months;
                CREATE TABLE events_default PARTITION OF events DEFAULT;

                INSERT INTO events (id, event_id, event_key, event_type, title, description, severity, resource, rule,
                    occurred_at, additional_info, image_url, provider, account, request_id, sequence, webhook_id,
                    project_id, domain_id, created_at)
                OVERRIDING SYSTEM VALUE
                SELECT id, event_id, event_key, event_type, title, description, severity, resource, rule,
                    occurred_at, additional_info, image_url, provider, account, request_id, sequence, webhook_id,
                    project_id, domain_id, created_at
                FROM events_unpartitioned;
                SELECT setval(pg_get_serial_sequence('events', 'id'), coalesce(max(id), 0) + 1, false) FROM events;
                DROP TABLE events_unpartitioned;
                """);
        }

        /// <summary>One way: the copies of raw payloads that events carried are gone; restore a backup instead.</summary>
        protected override void Down(MigrationBuilder migrationBuilder) =>
            throw new NotSupportedException("PartitionEvents cannot be undone; restore a backup taken before it.");
    }
}
