using SmsRemarketing.Testing;

namespace SmsRemarketing.Api.Tests.Hostile;

/// <summary>
/// Every stored row of one client, as JSON text per table: equal snapshots before and after an attack mean the attack
/// changed none of that client's data.
/// </summary>
public static class TenantSnapshot
{
    private static readonly string[] TenantTables =
        ["leads", "templates", "messages", "credit_transactions", "triggers", "trigger_firings", "consent_events", "inbound_messages", "idempotency_keys"];

    public static async Task<IReadOnlyDictionary<string, string>> TakeAsync(TestDatabase database, Guid clientId)
    {
        var snapshot = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["clients"] = await database.ScalarAsync<string>("SELECT row_to_json(c)::text FROM clients c WHERE id = $1", clientId) ?? "",
        };
        foreach (var table in TenantTables)
        {
            snapshot[table] = await database.ScalarAsync<string>(
                $"SELECT coalesce(json_agg(t ORDER BY t::text)::text, '[]') FROM {table} t WHERE t.client_id = $1", clientId) ?? "";
        }

        return snapshot;
    }

    /// <summary>Asserts equality table by table, naming the first table that differs.</summary>
    public static void AssertUnchanged(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after, string context)
    {
        foreach (var (table, rows) in before)
        {
            Assert.True(rows == after[table], $"{context}: the rows of '{table}' changed.\nbefore: {rows}\nafter:  {after[table]}");
        }
    }
}
