using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmsRemarketing.Data.Migrations
{
    /// <summary>
    /// Message categories replace the manual send's <c>ignore_quiet_hours</c>: every template, trigger and message has
    /// one (existing ones are marketing), and each client the categories the operator lets it use (existing clients:
    /// marketing only). The defaults stay in the database for raw inserts; the entities always write the column.
    /// Messages still waiting with the old override become marketing: they go out in the window, never outside it.
    /// </summary>
    public partial class MessageCategoryRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ignore_quiet_hours",
                table: "messages");

            migrationBuilder.AddColumn<string>(
                name: "category",
                table: "triggers",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "marketing");

            migrationBuilder.AddColumn<string>(
                name: "category",
                table: "templates",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "marketing");

            migrationBuilder.AddColumn<string>(
                name: "category",
                table: "messages",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "marketing");

            migrationBuilder.AddColumn<string[]>(
                name: "allowed_categories",
                table: "clients",
                type: "text[]",
                nullable: false,
                defaultValue: new[] { "marketing" });

            migrationBuilder.AddCheckConstraint(
                name: "ck_triggers_category",
                table: "triggers",
                sql: "category IN ('marketing', 'transactional', 'conversational')");

            migrationBuilder.AddCheckConstraint(
                name: "ck_templates_category",
                table: "templates",
                sql: "category IN ('marketing', 'transactional', 'conversational')");

            migrationBuilder.AddCheckConstraint(
                name: "ck_messages_category",
                table: "messages",
                sql: "category IN ('marketing', 'transactional', 'conversational')");

            migrationBuilder.AddCheckConstraint(
                name: "ck_clients_allowed_categories",
                table: "clients",
                sql: "cardinality(allowed_categories) >= 1 AND allowed_categories <@ ARRAY['marketing', 'transactional', 'conversational']::text[]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_triggers_category",
                table: "triggers");

            migrationBuilder.DropCheckConstraint(
                name: "ck_templates_category",
                table: "templates");

            migrationBuilder.DropCheckConstraint(
                name: "ck_messages_category",
                table: "messages");

            migrationBuilder.DropCheckConstraint(
                name: "ck_clients_allowed_categories",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "category",
                table: "triggers");

            migrationBuilder.DropColumn(
                name: "category",
                table: "templates");

            migrationBuilder.DropColumn(
                name: "category",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "allowed_categories",
                table: "clients");

            migrationBuilder.AddColumn<bool>(
                name: "ignore_quiet_hours",
                table: "messages",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }
    }
}
