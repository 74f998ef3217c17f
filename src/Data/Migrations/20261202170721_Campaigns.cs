using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmsRemarketing.Data.Migrations
{
    /// <inheritdoc />
    public partial class Campaigns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_messages_send_after",
                table: "messages");

            migrationBuilder.DropCheckConstraint(
                name: "ck_messages_source",
                table: "messages");

            migrationBuilder.DropCheckConstraint(
                name: "ck_credit_transactions_kind",
                table: "credit_transactions");

            migrationBuilder.AddColumn<Guid>(
                name: "campaign_id",
                table: "messages",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "campaign_id",
                table: "credit_transactions",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "credits_reserved",
                table: "clients",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "campaigns",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    segment_id = table.Column<Guid>(type: "uuid", nullable: true),
                    lead_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: true),
                    exclude_segment_ids = table.Column<List<Guid>>(type: "uuid[]", nullable: false),
                    template_id = table.Column<Guid>(type: "uuid", nullable: true),
                    body = table.Column<string>(type: "character varying(1600)", maxLength: 1600, nullable: true),
                    variables = table.Column<string>(type: "jsonb", nullable: true),
                    category = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    send_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    local_time = table.Column<TimeOnly>(type: "time without time zone", nullable: true),
                    send_date = table.Column<DateOnly>(type: "date", nullable: true),
                    when_local_time_passed = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    throttle_per_minute = table.Column<int>(type: "integer", nullable: true),
                    recipients = table.Column<int>(type: "integer", nullable: false),
                    credits_reserved = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    scheduled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    paused_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    canceled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    settled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    throttle_window = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    released_in_window = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_campaigns", x => x.id);
                    table.CheckConstraint("ck_campaigns_audience", "segment_id IS NOT NULL OR lead_ids IS NOT NULL");
                    table.CheckConstraint("ck_campaigns_category", "category IN ('marketing', 'transactional', 'conversational')");
                    table.CheckConstraint("ck_campaigns_lead_ids", "lead_ids IS NULL OR cardinality(lead_ids) <= 10000");
                    table.CheckConstraint("ck_campaigns_status", "status IN ('draft', 'scheduled', 'sending', 'paused', 'completed', 'canceled')");
                    table.CheckConstraint("ck_campaigns_throttle", "throttle_per_minute IS NULL OR throttle_per_minute >= 1");
                    table.CheckConstraint("ck_campaigns_when", "send_at IS NULL OR (local_time IS NULL AND send_date IS NULL)");
                    table.CheckConstraint("ck_campaigns_when_local_time_passed", "when_local_time_passed IN ('next_day', 'skip')");
                    table.ForeignKey(
                        name: "fk_campaigns_clients_client_id",
                        column: x => x.client_id,
                        principalTable: "clients",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_campaigns_segments_segment_id",
                        column: x => x.segment_id,
                        principalTable: "segments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_campaigns_templates_template_id",
                        column: x => x.template_id,
                        principalTable: "templates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "campaign_recipients",
                columns: table => new
                {
                    campaign_id = table.Column<Guid>(type: "uuid", nullable: false),
                    lead_id = table.Column<Guid>(type: "uuid", nullable: false),
                    phone = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    excluded = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    exclusion_detail = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_campaign_recipients", x => new { x.campaign_id, x.lead_id });
                    table.ForeignKey(
                        name: "fk_campaign_recipients_campaigns_campaign_id",
                        column: x => x.campaign_id,
                        principalTable: "campaigns",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_campaign_recipients_leads_lead_id",
                        column: x => x.lead_id,
                        principalTable: "leads",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_messages_campaign_id_lead_id",
                table: "messages",
                columns: new[] { "campaign_id", "lead_id" },
                unique: true,
                filter: "campaign_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_messages_campaign_in_flight",
                table: "messages",
                column: "campaign_id",
                filter: "campaign_id IS NOT NULL AND status IN ('queued', 'sending')");

            migrationBuilder.CreateIndex(
                name: "ix_messages_campaign_scheduled",
                table: "messages",
                columns: new[] { "campaign_id", "send_after" },
                filter: "campaign_id IS NOT NULL AND status = 'scheduled'");

            migrationBuilder.CreateIndex(
                name: "ix_messages_send_after",
                table: "messages",
                column: "send_after",
                filter: "status = 'scheduled' AND campaign_id IS NULL");

            migrationBuilder.AddCheckConstraint(
                name: "ck_messages_source",
                table: "messages",
                sql: "source IN ('manual', 'new_lead', 'lead_age', 'webhook', 'confirmation', 'campaign')");

            migrationBuilder.CreateIndex(
                name: "ix_credit_transactions_campaign_id_kind",
                table: "credit_transactions",
                columns: new[] { "campaign_id", "kind" },
                filter: "campaign_id IS NOT NULL");

            migrationBuilder.AddCheckConstraint(
                name: "ck_credit_transactions_hold",
                table: "credit_transactions",
                sql: "(kind <> 'reserve' OR (amount < 0 AND campaign_id IS NOT NULL)) AND (kind <> 'release' OR (amount > 0 AND campaign_id IS NOT NULL))");

            migrationBuilder.AddCheckConstraint(
                name: "ck_credit_transactions_kind",
                table: "credit_transactions",
                sql: "kind IN ('purchase', 'sms_debit', 'refund', 'adjustment', 'reserve', 'release')");

            migrationBuilder.AddCheckConstraint(
                name: "ck_clients_credits_reserved",
                table: "clients",
                sql: "credits_reserved >= 0 AND credits_reserved <= credit_balance");

            migrationBuilder.CreateIndex(
                name: "ix_campaign_recipients_lead_id",
                table: "campaign_recipients",
                column: "lead_id");

            migrationBuilder.CreateIndex(
                name: "ix_campaigns_client_id_created_at",
                table: "campaigns",
                columns: new[] { "client_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_campaigns_segment_id",
                table: "campaigns",
                column: "segment_id");

            migrationBuilder.CreateIndex(
                name: "ix_campaigns_status",
                table: "campaigns",
                column: "status",
                filter: "settled_at IS NULL AND status IN ('scheduled', 'sending', 'completed', 'canceled')");

            migrationBuilder.CreateIndex(
                name: "ix_campaigns_template_id",
                table: "campaigns",
                column: "template_id");

            migrationBuilder.AddForeignKey(
                name: "fk_credit_transactions_campaigns_campaign_id",
                table: "credit_transactions",
                column: "campaign_id",
                principalTable: "campaigns",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "fk_messages_campaigns_campaign_id",
                table: "messages",
                column: "campaign_id",
                principalTable: "campaigns",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            // The ledger keeps two sums on the client: the balance (every row but reservations and releases) and what
            // campaigns hold (reservations, less releases and the debits of campaign messages, which the hold paid).
            // A refund of a campaign message goes to what the client may spend, not back to the campaign.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION credit_transactions_apply() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE clients c SET credit_balance = c.credit_balance + added.balance,
                                         credits_reserved = c.credits_reserved + added.reserved
                    FROM (SELECT client_id,
                                 coalesce(sum(amount) FILTER (WHERE kind NOT IN ('reserve', 'release')), 0) AS balance,
                                 coalesce(sum(-amount) FILTER (WHERE kind IN ('reserve', 'release')), 0)
                                   + coalesce(sum(amount) FILTER (WHERE kind = 'sms_debit' AND campaign_id IS NOT NULL), 0) AS reserved
                          FROM inserted_rows GROUP BY client_id) added
                    WHERE c.id = added.client_id;
                    RETURN NULL;
                END $$;

                CREATE OR REPLACE FUNCTION messages_refund_unsent() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO credit_transactions (client_id, amount, kind, message_id, campaign_id, created_at)
                    SELECT client_id, -amount, 'refund', message_id, campaign_id, now() FROM credit_transactions
                    WHERE message_id = NEW.id AND kind = 'sms_debit'
                    ON CONFLICT (message_id, kind) WHERE message_id IS NOT NULL DO NOTHING;
                    RETURN NULL;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION credit_transactions_apply() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE clients c SET credit_balance = c.credit_balance + added.amount
                    FROM (SELECT client_id, sum(amount) AS amount FROM inserted_rows GROUP BY client_id) added
                    WHERE c.id = added.client_id;
                    RETURN NULL;
                END $$;

                CREATE OR REPLACE FUNCTION messages_refund_unsent() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO credit_transactions (client_id, amount, kind, message_id, created_at)
                    SELECT client_id, -amount, 'refund', message_id, now() FROM credit_transactions
                    WHERE message_id = NEW.id AND kind = 'sms_debit'
                    ON CONFLICT (message_id, kind) WHERE message_id IS NOT NULL DO NOTHING;
                    RETURN NULL;
                END $$;
                """);

            migrationBuilder.DropForeignKey(
                name: "fk_credit_transactions_campaigns_campaign_id",
                table: "credit_transactions");

            migrationBuilder.DropForeignKey(
                name: "fk_messages_campaigns_campaign_id",
                table: "messages");

            migrationBuilder.DropTable(
                name: "campaign_recipients");

            migrationBuilder.DropTable(
                name: "campaigns");

            migrationBuilder.DropIndex(
                name: "ix_messages_campaign_id_lead_id",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_messages_campaign_in_flight",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_messages_campaign_scheduled",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_messages_send_after",
                table: "messages");

            migrationBuilder.DropCheckConstraint(
                name: "ck_messages_source",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_credit_transactions_campaign_id_kind",
                table: "credit_transactions");

            migrationBuilder.DropCheckConstraint(
                name: "ck_credit_transactions_hold",
                table: "credit_transactions");

            migrationBuilder.DropCheckConstraint(
                name: "ck_credit_transactions_kind",
                table: "credit_transactions");

            migrationBuilder.DropCheckConstraint(
                name: "ck_clients_credits_reserved",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "campaign_id",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "campaign_id",
                table: "credit_transactions");

            migrationBuilder.DropColumn(
                name: "credits_reserved",
                table: "clients");

            migrationBuilder.CreateIndex(
                name: "ix_messages_send_after",
                table: "messages",
                column: "send_after",
                filter: "status = 'scheduled'");

            migrationBuilder.AddCheckConstraint(
                name: "ck_messages_source",
                table: "messages",
                sql: "source IN ('manual', 'new_lead', 'lead_age', 'webhook', 'confirmation')");

            migrationBuilder.AddCheckConstraint(
                name: "ck_credit_transactions_kind",
                table: "credit_transactions",
                sql: "kind IN ('purchase', 'sms_debit', 'refund', 'adjustment')");
        }
    }
}
