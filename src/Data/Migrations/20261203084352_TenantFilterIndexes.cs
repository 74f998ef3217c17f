using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmsRemarketing.Data.Migrations
{
    /// <inheritdoc />
    public partial class TenantFilterIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_messages_client_status",
                table: "messages",
                columns: new[] { "client_id", "status", "created_at", "id" },
                filter: "status NOT IN ('scheduled', 'queued', 'sending', 'delivered')");

            migrationBuilder.CreateIndex(
                name: "ix_leads_client_id_email",
                table: "leads",
                columns: new[] { "client_id", "email" },
                filter: "email IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_messages_client_status",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_leads_client_id_email",
                table: "leads");
        }
    }
}
