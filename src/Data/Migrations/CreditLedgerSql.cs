namespace SmsRemarketing.Data.Migrations;

/// <summary>
/// The credit ledger's rules, kept by the database so that no code path can break them:
/// every <c>credit_transactions</c> row adds its amount to <c>clients.credit_balance</c> (so the balance always
/// equals the ledger's sum); the balance cannot be written any other way; ledger rows are never changed; and
/// they are deleted only with their client. The balance's CHECK (&gt;= 0) makes an overdraw fail.
/// </summary>
internal static class CreditLedgerSql
{
    public const string Up = """
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
        """;

    public const string Down = """
        DROP TRIGGER IF EXISTS clients_balance_starts_at_zero ON clients;
        DROP FUNCTION IF EXISTS clients_balance_starts_at_zero();
        DROP TRIGGER IF EXISTS clients_balance_from_ledger_only ON clients;
        DROP FUNCTION IF EXISTS clients_balance_from_ledger_only();
        DROP TRIGGER IF EXISTS credit_transactions_immutable ON credit_transactions;
        DROP FUNCTION IF EXISTS credit_transactions_immutable();
        DROP TRIGGER IF EXISTS credit_transactions_apply ON credit_transactions;
        DROP FUNCTION IF EXISTS credit_transactions_apply();
        """;
}
