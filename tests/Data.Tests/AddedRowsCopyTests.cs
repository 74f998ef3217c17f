using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Data.Outbox;
using SmsRemarketing.Data.Templates;
using SmsRemarketing.Data.Triggers;

namespace SmsRemarketing.Data.Tests;

/// <summary>
/// <see cref="AddedRowsCopy"/> against SaveChanges: the same entities, one set saved each way, must read back as
/// the same rows, column for column.
/// </summary>
public sealed class AddedRowsCopyTests(SchemaFixture fixture) : IClassFixture<SchemaFixture>
{
    // Ticks below a microsecond (PostgreSQL keeps microseconds): both writers must store the same instant. UTC, because
    // SaveChanges (Npgsql) refuses any other offset for timestamptz.
    private static readonly DateTimeOffset Queued = new DateTimeOffset(2026, 3, 10, 12, 5, 6, TimeSpan.Zero).AddTicks(1_234_567);
    private static readonly DateTimeOffset Later = new(2026, 3, 11, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task EveryColumnReadsBackAsSaveChangesWritesIt()
    {
        var (client, template, saved, copied) = await ArrangeTwoTriggersAsync("+14155550700");
        var leads = new[] { await AddLeadAsync(client, "+14155550701"), await AddLeadAsync(client, "+14155550702") };

        var written = new List<(string Table, Guid Id)>();
        foreach (var (trigger, useCopy) in new[] { (saved, false), (copied, true) })
        {
            await using var db = fixture.Database.CreateDbContext();
            foreach (var lead in leads)
            {
                // One message with every optional column set, one with them null; enums in both.
                var full = lead == leads[0];
                var message = new Message
                {
                    ClientId = client.Id, LeadId = lead.Id, TemplateId = full ? template.Id : null, TriggerId = trigger.Id,
                    Source = full ? MessageSource.LeadAge : MessageSource.NewLead, ToPhone = lead.Phone, FromPhone = full ? "+14155559999" : null,
                    Body = "Hi Ada, ünïcödé ✓", Segments = 2, CreditCost = 2, Status = full ? MessageStatus.Scheduled : MessageStatus.Queued,
                    TwilioSid = null, ErrorCode = full ? 30003 : null, ErrorMessage = full ? "Deferred: quiet hours." : null, Attempts = full ? 1 : 0,
                    LastAttemptAt = full ? Later : null, SendAfter = full ? Later : null, QueuedAt = full ? null : Queued,
                    CreatedAt = Queued, UpdatedAt = Queued, SentAt = null, DeliveredAt = null,
                };
                var outbox = new OutboxMessage
                {
                    MessageType = "SmsRemarketing.Contracts.SendSmsRequested", Body = $$"""{"leadId":"{{lead.Id}}"}""",
                    TraceParent = full ? "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" : null, TraceState = full ? "a=b" : null,
                    CreatedAt = Queued, PublishedAt = full ? Later : null, Attempts = full ? 3 : 0, LastError = full ? "broker down" : null,
                };
                var firing = new TriggerFiring
                {
                    TriggerId = trigger.Id, LeadId = lead.Id, ClientId = client.Id, Message = message, MessageId = message.Id,
                    Outcome = TriggerFiring.Scheduled, Detail = full ? "quiet hours" : null, FiredAt = Queued,
                };
                db.AddRange(message, outbox, firing);
                written.Add(("messages", message.Id));
                written.Add(("outbox_messages", outbox.Id));
            }

            if (useCopy)
            {
                Assert.Equal(6, await AddedRowsCopy.WriteAsync(db, CancellationToken.None));
            }
            else
            {
                await db.SaveChangesAsync();
            }
        }

        // Rows i (saved) and i + 4 (copied) are the same entity written two ways; only their own ids differ.
        for (var i = 0; i < 4; i++)
        {
            var (table, savedId) = written[i];
            var expected = await RowAsync(table, "id = $1", savedId);
            var actual = await RowAsync(table, "id = $1", written[i + 4].Id);
            Assert.Equal(Without(expected, "id", "sequence", "trigger_id"), Without(actual, "id", "sequence", "trigger_id"));
        }

        foreach (var lead in leads)
        {
            var expected = await RowAsync("trigger_firings", "trigger_id = $1 AND lead_id = $2", saved.Id, lead.Id);
            var actual = await RowAsync("trigger_firings", "trigger_id = $1 AND lead_id = $2", copied.Id, lead.Id);
            Assert.Equal(Without(expected, "trigger_id", "message_id"), Without(actual, "trigger_id", "message_id"));
            Assert.Equal(
                await fixture.Database.ScalarAsync<Guid>("SELECT id FROM messages WHERE trigger_id = $1 AND lead_id = $2", copied.Id, lead.Id),
                actual["message_id"]);
        }

        var copiedMessage = await RowAsync("messages", "id = $1", written[4].Id);
        Assert.Equal(copied.Id, copiedMessage["trigger_id"]);
        Assert.Equal("scheduled", copiedMessage["status"]);
        Assert.Equal("lead_age", copiedMessage["source"]);
    }

    [Fact]
    public async Task AJsonbColumnOrItsDatabaseDefaultReadsBackAsSaveChangesWritesIt()
    {
        await using var arrange = fixture.Database.CreateDbContext();
        var client = await SchemaFixture.AddClientAsync(arrange);
        // custom_fields has a database default ('{}'), which SaveChanges uses when the property holds no value (default(JsonElement)).
        foreach (var (fields, phone) in new[]
        {
            (JsonDocument.Parse("""{"plan": "gold", "visits": 3, "tags": ["a", "b"], "none": null}""").RootElement, "+1415555071"),
            (default(JsonElement), "+1415555072"),
        })
        {
            Lead NewLead(string suffix) => new()
            {
                ClientId = client.Id, Phone = phone + suffix, FirstName = "Ada", LastName = null, Email = "ada@example.test",
                CustomFields = fields, ConsentAt = Later, CreatedAt = Queued, UpdatedAt = Queued,
            };
            var saved = NewLead("1");
            var copied = NewLead("2");
            await using (var db = fixture.Database.CreateDbContext())
            {
                db.Leads.Add(saved);
                await db.SaveChangesAsync();
            }

            await using (var db = fixture.Database.CreateDbContext())
            {
                db.Leads.Add(copied);
                await AddedRowsCopy.WriteAsync(db, CancellationToken.None);
            }

            var expected = await RowAsync("leads", "id = $1", saved.Id);
            var actual = await RowAsync("leads", "id = $1", copied.Id);
            Assert.Equal(Without(expected, "id", "phone"), Without(actual, "id", "phone"));
            Assert.Equal(fields.ValueKind == JsonValueKind.Undefined ? "{}" : """{"none": null, "plan": "gold", "tags": ["a", "b"], "visits": 3}""",
                await fixture.Database.ScalarAsync<string>("SELECT custom_fields::text FROM leads WHERE id = $1", copied.Id));
        }
    }

    [Fact]
    public async Task TablesAreWrittenInForeignKeyOrderWhateverTheOrderTheyWereAdded()
    {
        var (client, _, trigger, _) = await ArrangeTwoTriggersAsync("+14155550720");
        var lead = await AddLeadAsync(client, "+14155550721");
        var message = SchemaFixture.NewMessage(lead);
        await using (var db = fixture.Database.CreateDbContext())
        {
            // The firing (which references the message) is added first, and by id alone.
            db.TriggerFirings.Add(new TriggerFiring
            {
                TriggerId = trigger.Id, LeadId = lead.Id, ClientId = client.Id, MessageId = message.Id, Outcome = TriggerFiring.Queued,
            });
            db.Messages.Add(message);
            Assert.Equal(2, await AddedRowsCopy.WriteAsync(db, CancellationToken.None));
            Assert.Empty(db.ChangeTracker.Entries());
        }

        Assert.Equal(message.Id, await fixture.Database.ScalarAsync<Guid>(
            "SELECT message_id FROM trigger_firings WHERE trigger_id = $1 AND lead_id = $2", trigger.Id, lead.Id));
    }

    [Fact]
    public async Task TheIdentityColumnIsAssignedByTheDatabaseInTheOrderTheRowsWereAdded()
    {
        var rows = Enumerable.Range(0, 3).Select(i => new OutboxMessage { MessageType = "Test.Event", Body = $$"""{"n":{{i}}}""" }).ToList();
        await using (var db = fixture.Database.CreateDbContext())
        {
            db.OutboxMessages.AddRange(rows);
            await AddedRowsCopy.WriteAsync(db, CancellationToken.None);
        }

        var sequences = new List<long>();
        foreach (var row in rows)
        {
            sequences.Add(await fixture.Database.ScalarAsync<long>("SELECT sequence FROM outbox_messages WHERE id = $1", row.Id));
        }

        Assert.All(sequences, s => Assert.True(s > 0));
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(3, sequences.Distinct().Count());
    }

    [Fact]
    public async Task AUniqueViolationWritesNothingAndLeavesTheChangeTrackerAsItWas()
    {
        var (client, _, trigger, _) = await ArrangeTwoTriggersAsync("+14155550730");
        var fresh = await AddLeadAsync(client, "+14155550731");
        var alreadyFired = await AddLeadAsync(client, "+14155550732");
        await using (var db = fixture.Database.CreateDbContext())
        {
            db.TriggerFirings.Add(new TriggerFiring { TriggerId = trigger.Id, LeadId = alreadyFired.Id, ClientId = client.Id, Outcome = TriggerFiring.Queued });
            await db.SaveChangesAsync();
        }

        var message = SchemaFixture.NewMessage(fresh);
        var outbox = new OutboxMessage { MessageType = "Test.Event", Body = "{}" };
        await using (var db = fixture.Database.CreateDbContext())
        {
            db.AddRange(message, outbox);
            db.TriggerFirings.AddRange(
                new TriggerFiring { TriggerId = trigger.Id, LeadId = fresh.Id, ClientId = client.Id, MessageId = message.Id, Outcome = TriggerFiring.Queued },
                new TriggerFiring { TriggerId = trigger.Id, LeadId = alreadyFired.Id, ClientId = client.Id, Outcome = TriggerFiring.Queued });

            var exception = await Assert.ThrowsAsync<PostgresException>(() => AddedRowsCopy.WriteAsync(db, CancellationToken.None));

            Assert.Equal(PostgresErrorCodes.UniqueViolation, exception.SqlState);
            Assert.Equal(TriggerFiring.PrimaryKey, exception.ConstraintName);
            Assert.Equal(4, db.ChangeTracker.Entries().Count(e => e.State == EntityState.Added));
            Assert.Null(db.Database.CurrentTransaction);
        }

        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE id = $1", message.Id));
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE id = $1", outbox.Id));
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM trigger_firings WHERE trigger_id = $1 AND lead_id = $2", trigger.Id, fresh.Id));
    }

    [Fact]
    public async Task AContextWithModifiedOrDeletedEntriesIsRefusedAndNothingIsWritten()
    {
        await using var db = fixture.Database.CreateDbContext();
        var client = await SchemaFixture.AddClientAsync(db);
        var outbox = new OutboxMessage { MessageType = "Test.Event", Body = "{}" };
        db.OutboxMessages.Add(outbox);
        client.Name = "Renamed";

        await Assert.ThrowsAsync<InvalidOperationException>(() => AddedRowsCopy.WriteAsync(db, CancellationToken.None));

        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE id = $1", outbox.Id));
        Assert.Equal("Acme", await fixture.Database.ScalarAsync<string>("SELECT name FROM clients WHERE id = $1", client.Id));
    }

    private async Task<(Client Client, Template Template, Trigger First, Trigger Second)> ArrangeTwoTriggersAsync(string phone)
    {
        await using var db = fixture.Database.CreateDbContext();
        var client = await SchemaFixture.AddClientAsync(db);
        var template = new Template { ClientId = client.Id, Name = $"t-{phone}", Body = "Hi {{first_name}}" };
        var first = new Trigger { ClientId = client.Id, Name = "first", Type = TriggerType.LeadAge, Days = 3, TemplateId = template.Id };
        var second = new Trigger { ClientId = client.Id, Name = "second", Type = TriggerType.LeadAge, Days = 3, TemplateId = template.Id };
        db.AddRange(template, first, second);
        await db.SaveChangesAsync();
        return (client, template, first, second);
    }

    private async Task<Lead> AddLeadAsync(Client client, string phone)
    {
        await using var db = fixture.Database.CreateDbContext();
        var lead = SchemaFixture.NewLead(client, phone);
        db.Leads.Add(lead);
        await db.SaveChangesAsync();
        return lead;
    }

    private async Task<Dictionary<string, object?>> RowAsync(string table, string where, params object[] parameters)
    {
        await using var command = fixture.Database.DataSource.CreateCommand($"SELECT * FROM {table} WHERE {where}");
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no row in {table} where {where}");
        var row = new Dictionary<string, object?>();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        }

        return row;
    }

    private static Dictionary<string, object?> Without(Dictionary<string, object?> row, params string[] columns) =>
        row.Where(c => !columns.Contains(c.Key)).ToDictionary();
}
