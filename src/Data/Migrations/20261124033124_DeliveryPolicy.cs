using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmsRemarketing.Data.Migrations
{
    /// <inheritdoc />
    public partial class DeliveryPolicy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_messages_status",
                table: "messages");

            migrationBuilder.AddColumn<int>(
                name: "credit_cost",
                table: "messages",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "queued_at",
                table: "messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "send_after",
                table: "messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "frequency_cap_action",
                table: "clients",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "defer");

            migrationBuilder.AddColumn<string>(
                name: "frequency_caps",
                table: "clients",
                type: "jsonb",
                nullable: false,
                defaultValueSql: """'[{"max_messages": 1, "window_hours": 24}, {"max_messages": 3, "window_hours": 168}]'::jsonb""");

            migrationBuilder.AddColumn<int>(
                name: "max_segments",
                table: "clients",
                type: "integer",
                nullable: false,
                defaultValue: 10);

            migrationBuilder.AddColumn<bool>(
                name: "pay_per_segment",
                table: "clients",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "quiet_hours_enabled",
                table: "clients",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<TimeOnly>(
                name: "sending_window_end",
                table: "clients",
                type: "time without time zone",
                nullable: false,
                defaultValue: new TimeOnly(21, 0, 0));

            migrationBuilder.AddColumn<TimeOnly>(
                name: "sending_window_start",
                table: "clients",
                type: "time without time zone",
                nullable: false,
                defaultValue: new TimeOnly(8, 0, 0));

            // Existing rows get the same defaults as a new entity (the model has none: see ClientConfiguration), and
            // every message already past 'queued' counts for the frequency cap from its creation.
            migrationBuilder.Sql("UPDATE messages SET queued_at = created_at WHERE status <> 'suppressed'");

            migrationBuilder.CreateIndex(
                name: "ix_messages_send_after",
                table: "messages",
                column: "send_after",
                filter: "status = 'scheduled'");

            migrationBuilder.AddCheckConstraint(
                name: "ck_messages_credit_cost",
                table: "messages",
                sql: "credit_cost >= 1");

            migrationBuilder.AddCheckConstraint(
                name: "ck_messages_scheduled_send_after",
                table: "messages",
                sql: "status <> 'scheduled' OR send_after IS NOT NULL");

            migrationBuilder.AddCheckConstraint(
                name: "ck_messages_status",
                table: "messages",
                sql: "status IN ('scheduled', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'suppressed', 'skipped')");

            migrationBuilder.AddCheckConstraint(
                name: "ck_clients_frequency_cap_action",
                table: "clients",
                sql: "frequency_cap_action IN ('defer', 'skip')");

            migrationBuilder.AddCheckConstraint(
                name: "ck_clients_frequency_caps_array",
                table: "clients",
                sql: "jsonb_typeof(frequency_caps) = 'array'");

            migrationBuilder.AddCheckConstraint(
                name: "ck_clients_max_segments",
                table: "clients",
                sql: "max_segments BETWEEN 1 AND 10");

            migrationBuilder.AddCheckConstraint(
                name: "ck_clients_sending_window",
                table: "clients",
                sql: "sending_window_start <> sending_window_end");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_messages_send_after",
                table: "messages");

            migrationBuilder.DropCheckConstraint(
                name: "ck_messages_credit_cost",
                table: "messages");

            migrationBuilder.DropCheckConstraint(
                name: "ck_messages_scheduled_send_after",
                table: "messages");

            migrationBuilder.DropCheckConstraint(
                name: "ck_messages_status",
                table: "messages");

            migrationBuilder.DropCheckConstraint(
                name: "ck_clients_frequency_cap_action",
                table: "clients");

            migrationBuilder.DropCheckConstraint(
                name: "ck_clients_frequency_caps_array",
                table: "clients");

            migrationBuilder.DropCheckConstraint(
                name: "ck_clients_max_segments",
                table: "clients");

            migrationBuilder.DropCheckConstraint(
                name: "ck_clients_sending_window",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "credit_cost",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "queued_at",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "send_after",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "frequency_cap_action",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "frequency_caps",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "max_segments",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "pay_per_segment",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "quiet_hours_enabled",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "sending_window_end",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "sending_window_start",
                table: "clients");

            migrationBuilder.AddCheckConstraint(
                name: "ck_messages_status",
                table: "messages",
                sql: "status IN ('queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'suppressed')");
        }
    }
}
