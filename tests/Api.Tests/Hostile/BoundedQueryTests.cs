using System.Text;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Features.Leads;
using SmsRemarketing.Api.Features.Messages;
using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Api.Tests.Hostile;

/// <summary>
/// The filters tenants can use on their lists are served by indexes that fit them: over a client with 20,000 rows
/// (analysed, as a table that grew would be), PostgreSQL's plan for the Api's own query reads the filter's index
/// instead of walking the client's rows newest first and discarding those that do not match.
/// </summary>
public sealed class BoundedQueryTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const int Rows = 20_000;

    [Fact]
    public async Task MessagesOfARareStatusAreReadThroughTheirIndex()
    {
        using var tenant = await api.CreateTenantAsync(credits: 0);
        var lead = await tenant.CreateLeadAsync("+14155550931");
        await api.Database.ExecuteAsync($"""
            INSERT INTO messages (id, client_id, lead_id, source, to_phone, body, segments, status, attempts, created_at, updated_at)
            SELECT gen_random_uuid(), client_id, id, 'manual', phone, 'Hi', 1, CASE WHEN i % 1000 = 0 THEN 'failed' ELSE 'delivered' END, 1,
                   now() - i * interval '1 minute', now()
            FROM leads, generate_series(1, {Rows}) i WHERE id = $1
            """, lead);
        await api.Database.ExecuteAsync("ANALYZE messages");

        await using var db = api.Database.CreateDbContext();
        var plan = await PlanAsync(db, ListMessages.Filter(db, tenant.Id, MessageStatus.Failed, null, null, null)
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Take(51));

        Assert.Contains("ix_messages_client_status", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LeadsByEmailAreReadThroughTheirIndex()
    {
        using var tenant = await api.CreateTenantAsync(credits: 0);
        await api.Database.ExecuteAsync($$"""
            INSERT INTO leads (id, client_id, phone, email, custom_fields, created_at, updated_at)
            SELECT gen_random_uuid(), $1, '+1415' || lpad((5550000 + i)::text, 7, '0'), 'lead' || i || '@example.test', '{}'::jsonb,
                   now() - i * interval '1 minute', now()
            FROM generate_series(1, {{Rows}}) i
            """, tenant.Id);
        await api.Database.ExecuteAsync("ANALYZE leads");

        await using var db = api.Database.CreateDbContext();
        var plan = await PlanAsync(db, ListLeads.Filter(db, tenant.Id, null, "lead12345@example.test", null, null, null)
            .OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id).Take(51));

        Assert.Contains("ix_leads_client_id_email", plan, StringComparison.Ordinal);
    }

    /// <summary>EXPLAIN of the very command EF sends for <paramref name="query"/>, with its parameters.</summary>
    private static async Task<string> PlanAsync<T>(DbContext db, IQueryable<T> query)
    {
        await db.Database.OpenConnectionAsync();
        await using var command = query.CreateDbCommand();
        command.CommandText = "EXPLAIN " + command.CommandText;
        var plan = new StringBuilder();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.AppendLine(reader.GetString(0));
            }
        }

        return plan.ToString();
    }
}
