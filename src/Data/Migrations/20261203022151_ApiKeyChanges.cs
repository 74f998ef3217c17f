using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmsRemarketing.Data.Migrations
{
    /// <summary>
    /// Every change of a client's key, activity or existence is reported on the channel <c>api_key_changed</c> (one
    /// key prefix per notification, sent at commit), so each Api replica can forget what it cached of that key.
    /// </summary>
    public partial class ApiKeyChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION clients_api_key_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP IN ('UPDATE', 'DELETE') THEN
                        PERFORM pg_notify('api_key_changed', OLD.api_key_prefix);
                    END IF;
                    IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' AND NEW.api_key_prefix <> OLD.api_key_prefix THEN
                        PERFORM pg_notify('api_key_changed', NEW.api_key_prefix);
                    END IF;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER clients_api_key_changed
                    AFTER INSERT OR DELETE OR UPDATE OF api_key_prefix, api_key_hash, is_active ON clients
                    FOR EACH ROW EXECUTE FUNCTION clients_api_key_changed();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER clients_api_key_changed ON clients;
                DROP FUNCTION clients_api_key_changed();
                """);
        }
    }
}
