using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmsRemarketing.Data.Migrations
{
    /// <summary>
    /// A manual send's override of quiet hours is kept on the message (the claim applies the window again); credits
    /// follow the status (a debited message that ends failed, suppressed or skipped gets its debit back, on whatever
    /// path it gets there); consent events are written with their id by the one opt-out statement, so the table no
    /// longer makes one.
    /// </summary>
    public partial class MessageLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "ignore_quiet_hours",
                table: "messages",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AlterColumn<Guid>(
                name: "id",
                table: "consent_events",
                type: "uuid",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldDefaultValueSql: "gen_random_uuid()");

            migrationBuilder.Sql("""
                CREATE FUNCTION messages_refund_unsent() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO credit_transactions (client_id, amount, kind, message_id, created_at)
                    SELECT client_id, -amount, 'refund', message_id, now() FROM credit_transactions
                    WHERE message_id = NEW.id AND kind = 'sms_debit'
                    ON CONFLICT (message_id, kind) WHERE message_id IS NOT NULL DO NOTHING;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER messages_refund_unsent AFTER UPDATE OF status ON messages
                    FOR EACH ROW WHEN (NEW.status IN ('failed', 'suppressed', 'skipped') AND OLD.status IS DISTINCT FROM NEW.status)
                    EXECUTE FUNCTION messages_refund_unsent();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS messages_refund_unsent ON messages;
                DROP FUNCTION IF EXISTS messages_refund_unsent();
                """);

            migrationBuilder.DropColumn(
                name: "ignore_quiet_hours",
                table: "messages");

            migrationBuilder.AlterColumn<Guid>(
                name: "id",
                table: "consent_events",
                type: "uuid",
                nullable: false,
                defaultValueSql: "gen_random_uuid()",
                oldClrType: typeof(Guid),
                oldType: "uuid");
        }
    }
}
