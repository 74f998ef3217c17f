using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SmsRemarketing.Data.Migrations
{
    /// <inheritdoc />
    public partial class DeliveryAndConsent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "consent_at",
                table: "leads",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "consent_source",
                table: "leads",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "consent_text",
                table: "leads",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "help_text",
                table: "clients",
                type: "character varying(320)",
                maxLength: 320,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "consent_events",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()"),
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    lead_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    source = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    detail = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_consent_events", x => x.id);
                    table.CheckConstraint("ck_consent_events_kind", "kind IN ('opt_out', 'opt_in')");
                    table.CheckConstraint("ck_consent_events_source", "source IN ('keyword', 'twilio_error_21610', 'api')");
                    table.ForeignKey(
                        name: "fk_consent_events_clients_client_id",
                        column: x => x.client_id,
                        principalTable: "clients",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_consent_events_leads_lead_id",
                        column: x => x.lead_id,
                        principalTable: "leads",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "inbound_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    twilio_sid = table.Column<string>(type: "character varying(34)", maxLength: 34, nullable: false),
                    client_id = table.Column<Guid>(type: "uuid", nullable: true),
                    lead_id = table.Column<Guid>(type: "uuid", nullable: true),
                    from_phone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    to_phone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    body = table.Column<string>(type: "character varying(1600)", maxLength: 1600, nullable: false),
                    keyword = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbound_messages", x => x.id);
                    table.CheckConstraint("ck_inbound_messages_keyword", "keyword IS NULL OR keyword IN ('opt_out', 'opt_in', 'help')");
                    table.ForeignKey(
                        name: "fk_inbound_messages_clients_client_id",
                        column: x => x.client_id,
                        principalTable: "clients",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_inbound_messages_leads_lead_id",
                        column: x => x.lead_id,
                        principalTable: "leads",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "message_status_callbacks",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    twilio_sid = table.Column<string>(type: "character varying(34)", maxLength: 34, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    error_code = table.Column<int>(type: "integer", nullable: true),
                    error_message = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_message_status_callbacks", x => x.id);
                    table.CheckConstraint("ck_message_status_callbacks_status", "status IN ('sending', 'sent', 'delivered', 'undelivered', 'failed')");
                });

            migrationBuilder.CreateIndex(
                name: "ix_leads_client_id_opted_out_at",
                table: "leads",
                columns: new[] { "client_id", "opted_out_at" },
                filter: "opted_out_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_clients_from_number",
                table: "clients",
                column: "from_number");

            migrationBuilder.CreateIndex(
                name: "ix_clients_messaging_service_sid",
                table: "clients",
                column: "messaging_service_sid");

            migrationBuilder.CreateIndex(
                name: "ix_consent_events_client_id",
                table: "consent_events",
                column: "client_id");

            migrationBuilder.CreateIndex(
                name: "ix_consent_events_lead_id_occurred_at",
                table: "consent_events",
                columns: new[] { "lead_id", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_inbound_messages_client_id_received_at",
                table: "inbound_messages",
                columns: new[] { "client_id", "received_at" });

            migrationBuilder.CreateIndex(
                name: "ix_inbound_messages_lead_id_received_at",
                table: "inbound_messages",
                columns: new[] { "lead_id", "received_at" });

            migrationBuilder.CreateIndex(
                name: "ix_inbound_messages_twilio_sid",
                table: "inbound_messages",
                column: "twilio_sid");

            migrationBuilder.CreateIndex(
                name: "ix_message_status_callbacks_twilio_sid_status",
                table: "message_status_callbacks",
                columns: new[] { "twilio_sid", "status" },
                unique: true);

            migrationBuilder.Sql("""
                CREATE FUNCTION message_status_rank(status text) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                    SELECT CASE status
                        WHEN 'queued' THEN 0 WHEN 'sending' THEN 1 WHEN 'sent' THEN 2
                        WHEN 'delivered' THEN 3 WHEN 'undelivered' THEN 3 WHEN 'failed' THEN 3
                        ELSE 4 END -- suppressed (and anything unknown) is final
                $$;

                CREATE FUNCTION messages_apply_stored_status_callbacks() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    best message_status_callbacks%ROWTYPE;
                BEGIN
                    PERFORM pg_advisory_xact_lock(hashtextextended('message_status:' || NEW.twilio_sid, 0));
                    SELECT * INTO best FROM message_status_callbacks WHERE twilio_sid = NEW.twilio_sid
                        ORDER BY message_status_rank(status) DESC, id LIMIT 1;
                    IF FOUND AND message_status_rank(best.status) > message_status_rank(NEW.status) THEN
                        NEW.status := best.status;
                        NEW.error_code := coalesce(best.error_code, NEW.error_code);
                        NEW.error_message := CASE WHEN best.error_code IS NOT NULL THEN best.error_message ELSE NEW.error_message END;
                        NEW.sent_at := coalesce(NEW.sent_at, best.received_at);
                        IF best.status = 'delivered' THEN
                            NEW.delivered_at := coalesce(NEW.delivered_at, best.received_at);
                        END IF;
                    END IF;
                    RETURN NEW;
                END $$;

                CREATE TRIGGER messages_apply_stored_status_callbacks BEFORE UPDATE OF twilio_sid ON messages
                    FOR EACH ROW WHEN (NEW.twilio_sid IS NOT NULL AND OLD.twilio_sid IS DISTINCT FROM NEW.twilio_sid)
                    EXECUTE FUNCTION messages_apply_stored_status_callbacks();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS messages_apply_stored_status_callbacks ON messages;
                DROP FUNCTION IF EXISTS messages_apply_stored_status_callbacks();
                DROP FUNCTION IF EXISTS message_status_rank(text);
                """);

            migrationBuilder.DropTable(
                name: "consent_events");

            migrationBuilder.DropTable(
                name: "inbound_messages");

            migrationBuilder.DropTable(
                name: "message_status_callbacks");

            migrationBuilder.DropIndex(
                name: "ix_leads_client_id_opted_out_at",
                table: "leads");

            migrationBuilder.DropIndex(
                name: "ix_clients_from_number",
                table: "clients");

            migrationBuilder.DropIndex(
                name: "ix_clients_messaging_service_sid",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "consent_at",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "consent_source",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "consent_text",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "help_text",
                table: "clients");
        }
    }
}
