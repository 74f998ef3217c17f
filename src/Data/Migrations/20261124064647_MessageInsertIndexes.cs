using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmsRemarketing.Data.Migrations
{
    /// <inheritdoc />
    public partial class MessageInsertIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropUniqueConstraint(
                name: "ak_outbox_messages_sequence",
                table: "outbox_messages");

            migrationBuilder.DropIndex(
                name: "ix_messages_status",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_messages_template_id",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_messages_trigger_id",
                table: "messages");

            migrationBuilder.CreateIndex(
                name: "ix_messages_template_id",
                table: "messages",
                column: "template_id",
                filter: "template_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_messages_trigger_id",
                table: "messages",
                column: "trigger_id",
                filter: "trigger_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_messages_template_id",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_messages_trigger_id",
                table: "messages");

            migrationBuilder.AddUniqueConstraint(
                name: "ak_outbox_messages_sequence",
                table: "outbox_messages",
                column: "sequence");

            migrationBuilder.CreateIndex(
                name: "ix_messages_status",
                table: "messages",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_messages_template_id",
                table: "messages",
                column: "template_id");

            migrationBuilder.CreateIndex(
                name: "ix_messages_trigger_id",
                table: "messages",
                column: "trigger_id");
        }
    }
}
