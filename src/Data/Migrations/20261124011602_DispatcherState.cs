using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmsRemarketing.Data.Migrations
{
    /// <inheritdoc />
    public partial class DispatcherState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "attempts",
                table: "messages",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_attempt_at",
                table: "messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "from_number",
                table: "clients",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "messaging_service_sid",
                table: "clients",
                type: "character varying(34)",
                maxLength: 34,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_messages_last_attempt_at",
                table: "messages",
                column: "last_attempt_at",
                filter: "status = 'sending'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_messages_last_attempt_at",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "attempts",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "last_attempt_at",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "from_number",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "messaging_service_sid",
                table: "clients");
        }
    }
}
