using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmsRemarketing.Data.Migrations
{
    /// <summary>
    /// The ledger's balance update runs once per INSERT statement, not once per row: the Dispatcher inserts a claim
    /// batch's debits (up to a hundred, mostly of one client) with one statement, and a trigger per row updated that
    /// client's row once per debit — a hundred row versions of one row in one transaction. Now each client's row is
    /// updated once, by the statement's sum for it. An overdraw still fails the statement (the balance's CHECK).
    /// </summary>
    public partial class LedgerAppliedPerStatement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER credit_transactions_apply ON credit_transactions;
                DROP FUNCTION credit_transactions_apply();

                CREATE FUNCTION credit_transactions_apply() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE clients c SET credit_balance = c.credit_balance + added.amount
                    FROM (SELECT client_id, sum(amount) AS amount FROM inserted_rows GROUP BY client_id) added
                    WHERE c.id = added.client_id;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER credit_transactions_apply AFTER INSERT ON credit_transactions
                    REFERENCING NEW TABLE AS inserted_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION credit_transactions_apply();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER credit_transactions_apply ON credit_transactions;
                DROP FUNCTION credit_transactions_apply();

                CREATE FUNCTION credit_transactions_apply() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE clients SET credit_balance = credit_balance + NEW.amount WHERE id = NEW.client_id;
                    RETURN NEW;
                END $$;

                CREATE TRIGGER credit_transactions_apply AFTER INSERT ON credit_transactions
                    FOR EACH ROW EXECUTE FUNCTION credit_transactions_apply();
                """);
        }
    }
}
