using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmsRemarketing.Data.Migrations
{
    /// <summary>
    /// Drops the inbox (<c>processed_messages</c>): no consumer ever recorded a message id in it, and none needs to.
    /// A redelivered SendSmsRequested finds its message no longer <c>queued</c>; a redelivered or resent LeadCreated
    /// finds its lead by (client, phone) and its triggers already fired for that lead (<c>trigger_firings</c>); a
    /// repeated RunLeadAgeSweep finds every due lead already fired.
    /// </summary>
    public partial class DropInbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "processed_messages");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "processed_messages",
                columns: table => new
                {
                    consumer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_processed_messages", x => new { x.consumer, x.message_id });
                });

            migrationBuilder.CreateIndex(
                name: "ix_processed_messages_processed_at",
                table: "processed_messages",
                column: "processed_at");
        }
    }
}
