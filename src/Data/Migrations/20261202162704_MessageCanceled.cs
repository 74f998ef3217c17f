using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmsRemarketing.Data.Migrations
{
    /// <summary>
    /// A scheduled message the client cancels ends <c>canceled</c>: allowed by the status check, and refunded like
    /// <c>failed</c>, <c>suppressed</c> and <c>skipped</c> when it carries a debit (a taken-over message sent back to
    /// <c>scheduled</c> keeps the debit of its claim). <c>message_status_rank</c> needs no change: a status it does not
    /// name ranks as final, so no status callback moves a canceled message. The SQL is written out here, not built from
    /// constants, so this migration does the same thing whatever later code says.
    /// </summary>
    public partial class MessageCanceled : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_messages_status",
                table: "messages");

            migrationBuilder.AddCheckConstraint(
                name: "ck_messages_status",
                table: "messages",
                sql: "status IN ('scheduled', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'suppressed', 'skipped', 'canceled')");

            migrationBuilder.Sql("""
                DROP TRIGGER messages_refund_unsent ON messages;
                CREATE TRIGGER messages_refund_unsent AFTER UPDATE OF status ON messages
                    FOR EACH ROW WHEN (NEW.status IN ('failed', 'suppressed', 'skipped', 'canceled') AND OLD.status IS DISTINCT FROM NEW.status)
                    EXECUTE FUNCTION messages_refund_unsent();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER messages_refund_unsent ON messages;
                CREATE TRIGGER messages_refund_unsent AFTER UPDATE OF status ON messages
                    FOR EACH ROW WHEN (NEW.status IN ('failed', 'suppressed', 'skipped') AND OLD.status IS DISTINCT FROM NEW.status)
                    EXECUTE FUNCTION messages_refund_unsent();
                """);

            migrationBuilder.DropCheckConstraint(
                name: "ck_messages_status",
                table: "messages");

            migrationBuilder.AddCheckConstraint(
                name: "ck_messages_status",
                table: "messages",
                sql: "status IN ('scheduled', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'suppressed', 'skipped')");
        }
    }
}
