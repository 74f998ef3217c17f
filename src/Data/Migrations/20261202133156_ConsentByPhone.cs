using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmsRemarketing.Data.Migrations
{
    /// <summary>
    /// Consent follows the phone number: <c>phone_consents</c> holds each number's opt-out (and double opt-in state) per
    /// client, and the database copies it onto the lead with that number (on insert, on a change of phone, and on every
    /// change of the number's consent), so every path that creates a lead finds it opted out. Consent events keep the
    /// number and outlive the lead. Clients get keyword languages, custom keywords, and double opt-in settings.
    /// </summary>
    public partial class ConsentByPhone : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_consent_events_leads_lead_id",
                table: "consent_events");

            migrationBuilder.DropCheckConstraint(
                name: "ck_messages_source",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_consent_events_client_id",
                table: "consent_events");

            migrationBuilder.DropCheckConstraint(
                name: "ck_consent_events_kind",
                table: "consent_events");

            migrationBuilder.DropCheckConstraint(
                name: "ck_consent_events_source",
                table: "consent_events");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "awaiting_confirmation_since",
                table: "leads",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "possible_opt_out",
                table: "inbound_messages",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AlterColumn<Guid>(
                name: "lead_id",
                table: "consent_events",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AlterColumn<string>(
                name: "kind",
                table: "consent_events",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(16)",
                oldMaxLength: 16);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "consent_at",
                table: "consent_events",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "consent_source",
                table: "consent_events",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "consent_text",
                table: "consent_events",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "phone",
                table: "consent_events",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.Sql("""
                UPDATE consent_events e SET phone = l.phone FROM leads l WHERE l.id = e.lead_id;
                ALTER TABLE consent_events ALTER COLUMN phone SET NOT NULL;
                """);

            migrationBuilder.AddColumn<string>(
                name: "confirmation_text",
                table: "clients",
                type: "character varying(320)",
                maxLength: 320,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "custom_keywords",
                table: "clients",
                type: "jsonb",
                nullable: false,
                defaultValueSql: "'{}'::jsonb");

            migrationBuilder.AddColumn<bool>(
                name: "double_opt_in",
                table: "clients",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<List<string>>(
                name: "keyword_languages",
                table: "clients",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{es,fr}'::text[]");

            migrationBuilder.AddColumn<bool>(
                name: "opt_out_on_possible_opt_out",
                table: "clients",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "phone_consents",
                columns: table => new
                {
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    phone = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    opted_out_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    opt_out_source = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    opt_out_detail = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    confirmation_requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    confirmed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_phone_consents", x => new { x.client_id, x.phone });
                    table.CheckConstraint("ck_phone_consents_opt_out_source", "(opted_out_at IS NULL) = (opt_out_source IS NULL)");
                    table.ForeignKey(
                        name: "fk_phone_consents_clients_client_id",
                        column: x => x.client_id,
                        principalTable: "clients",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.AddCheckConstraint(
                name: "ck_messages_source",
                table: "messages",
                sql: "source IN ('manual', 'new_lead', 'lead_age', 'webhook', 'confirmation')");

            migrationBuilder.CreateIndex(
                name: "ix_consent_events_client_id_phone_occurred_at",
                table: "consent_events",
                columns: new[] { "client_id", "phone", "occurred_at" });

            migrationBuilder.AddCheckConstraint(
                name: "ck_consent_events_kind",
                table: "consent_events",
                sql: "kind IN ('opt_out', 'opt_in', 'confirmation_requested', 'confirmed')");

            migrationBuilder.AddCheckConstraint(
                name: "ck_consent_events_source",
                table: "consent_events",
                sql: "source IN ('keyword', 'twilio_error_21610', 'twilio_opt_out_type', 'message_text', 'api', 'service')");

            migrationBuilder.CreateIndex(
                name: "ix_phone_consents_client_id_opted_out_at",
                table: "phone_consents",
                columns: new[] { "client_id", "opted_out_at" },
                filter: "opted_out_at IS NOT NULL");

            migrationBuilder.AddForeignKey(
                name: "fk_consent_events_leads_lead_id",
                table: "consent_events",
                column: "lead_id",
                principalTable: "leads",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.Sql("""
                INSERT INTO phone_consents (client_id, phone, opted_out_at, opt_out_source, opt_out_detail, updated_at)
                SELECT l.client_id, l.phone, l.opted_out_at, coalesce(e.source, 'api'), e.detail, now()
                FROM leads l
                LEFT JOIN LATERAL (
                    SELECT source, detail FROM consent_events
                    WHERE lead_id = l.id AND kind = 'opt_out' ORDER BY occurred_at DESC, id DESC LIMIT 1) e ON true
                WHERE l.opted_out_at IS NOT NULL;

                -- A lead's consent is its number's: read on insert and on a change of phone, and any write of the copy
                -- is replaced by the number's. A new lead of a double opt-in client waits to confirm unless it comes
                -- with consent proof or its number confirmed before.
                CREATE FUNCTION leads_consent_from_phone() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    consent phone_consents%ROWTYPE;
                BEGIN
                    SELECT * INTO consent FROM phone_consents WHERE client_id = NEW.client_id AND phone = NEW.phone;
                    NEW.opted_out_at := consent.opted_out_at;
                    IF TG_OP = 'INSERT' THEN
                        NEW.awaiting_confirmation_since := CASE
                            WHEN consent.confirmed_at IS NULL AND (NEW.consent_source IS NULL OR NEW.consent_at IS NULL)
                                 AND (SELECT double_opt_in FROM clients WHERE id = NEW.client_id)
                            THEN NEW.created_at END;
                    ELSIF consent.confirmed_at IS NOT NULL THEN
                        NEW.awaiting_confirmation_since := NULL;
                    END IF;
                    RETURN NEW;
                END $$;

                CREATE TRIGGER leads_consent_from_phone BEFORE INSERT OR UPDATE OF phone, opted_out_at, awaiting_confirmation_since ON leads
                    FOR EACH ROW EXECUTE FUNCTION leads_consent_from_phone();

                -- A change of a number's consent reaches the client's lead with that number (the trigger above copies it).
                CREATE FUNCTION phone_consents_to_leads() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE leads SET opted_out_at = NEW.opted_out_at WHERE client_id = NEW.client_id AND phone = NEW.phone;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER phone_consents_to_leads AFTER INSERT OR UPDATE ON phone_consents
                    FOR EACH ROW EXECUTE FUNCTION phone_consents_to_leads();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS phone_consents_to_leads ON phone_consents;
                DROP FUNCTION IF EXISTS phone_consents_to_leads();
                DROP TRIGGER IF EXISTS leads_consent_from_phone ON leads;
                DROP FUNCTION IF EXISTS leads_consent_from_phone();
                DELETE FROM consent_events WHERE lead_id IS NULL OR kind NOT IN ('opt_out', 'opt_in') OR source NOT IN ('keyword', 'twilio_error_21610', 'api');
                """);

            migrationBuilder.DropForeignKey(
                name: "fk_consent_events_leads_lead_id",
                table: "consent_events");

            migrationBuilder.DropTable(
                name: "phone_consents");

            migrationBuilder.DropCheckConstraint(
                name: "ck_messages_source",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_consent_events_client_id_phone_occurred_at",
                table: "consent_events");

            migrationBuilder.DropCheckConstraint(
                name: "ck_consent_events_kind",
                table: "consent_events");

            migrationBuilder.DropCheckConstraint(
                name: "ck_consent_events_source",
                table: "consent_events");

            migrationBuilder.DropColumn(
                name: "awaiting_confirmation_since",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "possible_opt_out",
                table: "inbound_messages");

            migrationBuilder.DropColumn(
                name: "consent_at",
                table: "consent_events");

            migrationBuilder.DropColumn(
                name: "consent_source",
                table: "consent_events");

            migrationBuilder.DropColumn(
                name: "consent_text",
                table: "consent_events");

            migrationBuilder.DropColumn(
                name: "phone",
                table: "consent_events");

            migrationBuilder.DropColumn(
                name: "confirmation_text",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "custom_keywords",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "double_opt_in",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "keyword_languages",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "opt_out_on_possible_opt_out",
                table: "clients");

            migrationBuilder.AlterColumn<Guid>(
                name: "lead_id",
                table: "consent_events",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "kind",
                table: "consent_events",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32);

            migrationBuilder.AddCheckConstraint(
                name: "ck_messages_source",
                table: "messages",
                sql: "source IN ('manual', 'new_lead', 'lead_age', 'webhook')");

            migrationBuilder.CreateIndex(
                name: "ix_consent_events_client_id",
                table: "consent_events",
                column: "client_id");

            migrationBuilder.AddCheckConstraint(
                name: "ck_consent_events_kind",
                table: "consent_events",
                sql: "kind IN ('opt_out', 'opt_in')");

            migrationBuilder.AddCheckConstraint(
                name: "ck_consent_events_source",
                table: "consent_events",
                sql: "source IN ('keyword', 'twilio_error_21610', 'api')");

            migrationBuilder.AddForeignKey(
                name: "fk_consent_events_leads_lead_id",
                table: "consent_events",
                column: "lead_id",
                principalTable: "leads",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
