using System;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SmsRemarketing.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "clients",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    api_key_prefix = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    api_key_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    is_active = table.Column<bool>(type: "boolean", nullable: false),
                    timezone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    credit_balance = table.Column<long>(type: "bigint", nullable: false, defaultValue: 0L),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_clients", x => x.id);
                    table.CheckConstraint("ck_clients_credit_balance_not_negative", "credit_balance >= 0");
                });

            migrationBuilder.CreateTable(
                name: "outbox_dead_letters",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_type = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    trace_parent = table.Column<string>(type: "character varying(55)", maxLength: 55, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    moved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_dead_letters", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    message_type = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    trace_parent = table.Column<string>(type: "character varying(55)", maxLength: 55, nullable: true),
                    trace_state = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.id);
                    table.UniqueConstraint("ak_outbox_messages_sequence", x => x.sequence);
                });

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

            migrationBuilder.CreateTable(
                name: "leads",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    phone = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    first_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    last_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    custom_fields = table.Column<JsonElement>(type: "jsonb", nullable: false, defaultValueSql: "'{}'::jsonb"),
                    timezone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    locale = table.Column<string>(type: "character varying(35)", maxLength: 35, nullable: true),
                    opted_out_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_leads", x => x.id);
                    table.CheckConstraint("ck_leads_custom_fields_object", "jsonb_typeof(custom_fields) = 'object'");
                    table.ForeignKey(
                        name: "fk_leads_clients_client_id",
                        column: x => x.client_id,
                        principalTable: "clients",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "templates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    body = table.Column<string>(type: "character varying(1600)", maxLength: 1600, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_templates", x => x.id);
                    table.ForeignKey(
                        name: "fk_templates_clients_client_id",
                        column: x => x.client_id,
                        principalTable: "clients",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "triggers",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    template_id = table.Column<Guid>(type: "uuid", nullable: false),
                    days = table.Column<int>(type: "integer", nullable: true),
                    is_active = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_triggers", x => x.id);
                    table.CheckConstraint("ck_triggers_lead_age_days", "(type = 'lead_age') = (days IS NOT NULL) AND (days IS NULL OR days >= 1)");
                    table.CheckConstraint("ck_triggers_type", "type IN ('new_lead', 'lead_age', 'webhook')");
                    table.ForeignKey(
                        name: "fk_triggers_clients_client_id",
                        column: x => x.client_id,
                        principalTable: "clients",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_triggers_templates_template_id",
                        column: x => x.template_id,
                        principalTable: "templates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    lead_id = table.Column<Guid>(type: "uuid", nullable: false),
                    template_id = table.Column<Guid>(type: "uuid", nullable: true),
                    trigger_id = table.Column<Guid>(type: "uuid", nullable: true),
                    source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    to_phone = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    from_phone = table.Column<string>(type: "character varying(34)", maxLength: 34, nullable: true),
                    body = table.Column<string>(type: "text", nullable: false),
                    segments = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    twilio_sid = table.Column<string>(type: "character varying(34)", maxLength: 34, nullable: true),
                    error_code = table.Column<int>(type: "integer", nullable: true),
                    error_message = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    delivered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_messages", x => x.id);
                    table.CheckConstraint("ck_messages_source", "source IN ('manual', 'new_lead', 'lead_age', 'webhook')");
                    table.CheckConstraint("ck_messages_status", "status IN ('queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'suppressed')");
                    table.ForeignKey(
                        name: "fk_messages_clients_client_id",
                        column: x => x.client_id,
                        principalTable: "clients",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_messages_leads_lead_id",
                        column: x => x.lead_id,
                        principalTable: "leads",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_messages_templates_template_id",
                        column: x => x.template_id,
                        principalTable: "templates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_messages_triggers_trigger_id",
                        column: x => x.trigger_id,
                        principalTable: "triggers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "credit_transactions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    amount = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    reference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    message_id = table.Column<Guid>(type: "uuid", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_credit_transactions", x => x.id);
                    table.CheckConstraint("ck_credit_transactions_amount_not_zero", "amount <> 0");
                    table.CheckConstraint("ck_credit_transactions_kind", "kind IN ('purchase', 'sms_debit', 'refund', 'adjustment')");
                    table.ForeignKey(
                        name: "fk_credit_transactions_clients_client_id",
                        column: x => x.client_id,
                        principalTable: "clients",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_credit_transactions_messages_message_id",
                        column: x => x.message_id,
                        principalTable: "messages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "ix_clients_api_key_prefix",
                table: "clients",
                column: "api_key_prefix",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_credit_transactions_client_id_created_at",
                table: "credit_transactions",
                columns: new[] { "client_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_credit_transactions_client_id_reference",
                table: "credit_transactions",
                columns: new[] { "client_id", "reference" },
                unique: true,
                filter: "reference IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_credit_transactions_message_id_kind",
                table: "credit_transactions",
                columns: new[] { "message_id", "kind" },
                unique: true,
                filter: "message_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_leads_client_id_created_at",
                table: "leads",
                columns: new[] { "client_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_leads_client_id_phone",
                table: "leads",
                columns: new[] { "client_id", "phone" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_messages_client_id_created_at",
                table: "messages",
                columns: new[] { "client_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_messages_lead_id",
                table: "messages",
                column: "lead_id");

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

            migrationBuilder.CreateIndex(
                name: "ix_messages_twilio_sid",
                table: "messages",
                column: "twilio_sid",
                unique: true,
                filter: "twilio_sid IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_pending",
                table: "outbox_messages",
                column: "sequence",
                filter: "published_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_published_at",
                table: "outbox_messages",
                column: "published_at",
                filter: "published_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_processed_messages_processed_at",
                table: "processed_messages",
                column: "processed_at");

            migrationBuilder.CreateIndex(
                name: "ix_templates_client_id_name",
                table: "templates",
                columns: new[] { "client_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_triggers_client_id_type_is_active",
                table: "triggers",
                columns: new[] { "client_id", "type", "is_active" });

            migrationBuilder.CreateIndex(
                name: "ix_triggers_template_id",
                table: "triggers",
                column: "template_id");

            // The credit ledger's rules, kept by the database so that no code path can break them: every
            // credit_transactions row adds its amount to clients.credit_balance (so the balance always equals the
            // ledger's sum); the balance cannot be written any other way; ledger rows are never changed; and they are
            // deleted only with their client. The balance's CHECK (>= 0) makes an overdraw fail. (LedgerAppliedPerStatement
            // later replaced credit_transactions_apply with a statement-level trigger.)
            migrationBuilder.Sql("""
                CREATE FUNCTION credit_transactions_apply() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE clients SET credit_balance = credit_balance + NEW.amount WHERE id = NEW.client_id;
                    RETURN NEW;
                END $$;

                CREATE TRIGGER credit_transactions_apply AFTER INSERT ON credit_transactions
                    FOR EACH ROW EXECUTE FUNCTION credit_transactions_apply();

                CREATE FUNCTION credit_transactions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'UPDATE' AND NEW.client_id = OLD.client_id AND NEW.amount = OLD.amount AND NEW.kind = OLD.kind
                       AND NEW.reference IS NOT DISTINCT FROM OLD.reference AND NEW.created_at = OLD.created_at THEN
                        RETURN NEW; -- only message_id changed: ON DELETE SET NULL of a deleted message
                    END IF;
                    IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM clients WHERE id = OLD.client_id) THEN
                        RETURN OLD; -- the client itself is being deleted
                    END IF;
                    RAISE EXCEPTION 'credit_transactions is append-only (% refused)', TG_OP USING ERRCODE = 'integrity_constraint_violation';
                END $$;

                CREATE TRIGGER credit_transactions_immutable BEFORE UPDATE OR DELETE ON credit_transactions
                    FOR EACH ROW EXECUTE FUNCTION credit_transactions_immutable();

                CREATE FUNCTION clients_balance_from_ledger_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    -- Depth 1 is a statement of its own; the ledger trigger's update runs at depth 2.
                    IF NEW.credit_balance IS DISTINCT FROM OLD.credit_balance AND pg_trigger_depth() < 2 THEN
                        RAISE EXCEPTION 'clients.credit_balance changes only through credit_transactions'
                            USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    RETURN NEW;
                END $$;

                CREATE TRIGGER clients_balance_from_ledger_only BEFORE UPDATE OF credit_balance ON clients
                    FOR EACH ROW EXECUTE FUNCTION clients_balance_from_ledger_only();

                CREATE FUNCTION clients_balance_starts_at_zero() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.credit_balance := 0;
                    RETURN NEW;
                END $$;

                CREATE TRIGGER clients_balance_starts_at_zero BEFORE INSERT ON clients
                    FOR EACH ROW EXECUTE FUNCTION clients_balance_starts_at_zero();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS clients_balance_starts_at_zero ON clients;
                DROP FUNCTION IF EXISTS clients_balance_starts_at_zero();
                DROP TRIGGER IF EXISTS clients_balance_from_ledger_only ON clients;
                DROP FUNCTION IF EXISTS clients_balance_from_ledger_only();
                DROP TRIGGER IF EXISTS credit_transactions_immutable ON credit_transactions;
                DROP FUNCTION IF EXISTS credit_transactions_immutable();
                DROP TRIGGER IF EXISTS credit_transactions_apply ON credit_transactions;
                DROP FUNCTION IF EXISTS credit_transactions_apply();
                """);

            migrationBuilder.DropTable(
                name: "credit_transactions");

            migrationBuilder.DropTable(
                name: "outbox_dead_letters");

            migrationBuilder.DropTable(
                name: "outbox_messages");

            migrationBuilder.DropTable(
                name: "processed_messages");

            migrationBuilder.DropTable(
                name: "messages");

            migrationBuilder.DropTable(
                name: "leads");

            migrationBuilder.DropTable(
                name: "triggers");

            migrationBuilder.DropTable(
                name: "templates");

            migrationBuilder.DropTable(
                name: "clients");
        }
    }
}
