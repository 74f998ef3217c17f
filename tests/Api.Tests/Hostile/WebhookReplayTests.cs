using System.Net;
using System.Net.Http.Json;
using System.Text;
using SmsRemarketing.Api.Tests.Features.Webhooks;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.Api.Tests.Hostile;

/// <summary>
/// Forged, unsigned, misdirected and replayed Twilio callbacks. Twilio's signature has no timestamp, so a captured
/// request stays valid forever: "refused" for a replay means acknowledged (a retry by Twilio looks the same, and must
/// get a 2xx) and without effect — the inbound SMS is stored once per MessageSid and acted on once, and a status
/// never moves on a callback already applied or superseded.
/// </summary>
public sealed class WebhookReplayTests(WebhookFixture api) : IClassFixture<WebhookFixture>
{
    private const string Inbound = "/webhooks/twilio/inbound";
    private const string Status = "/webhooks/twilio/status";
    private const string LeadPhone = "+14155550171";

    private static int _nextNumber = 3000;

    [Fact]
    public async Task CopiesOfOneInboundStopArrivingTogetherAreStoredAndActedOnOnce()
    {
        var (number, lead) = await ClientWithLeadAsync();
        var stop = InboundFields(number, "STOP");

        var answers = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => api.PostSignedAsync(Inbound, stop)));

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE twilio_sid = $1", stop["MessageSid"]));
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM consent_events WHERE lead_id = $1", lead));
    }

    [Fact]
    public async Task AStopReplayedAfterTheLeadOptedBackInChangesNothing()
    {
        var (number, lead) = await ClientWithLeadAsync();
        var stop = InboundFields(number, "STOP");
        Assert.Equal(HttpStatusCode.OK, (await api.PostSignedAsync(Inbound, stop)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PostSignedAsync(Inbound, InboundFields(number, "START"))).StatusCode);
        var before = await LeadStateAsync(lead);

        Assert.Equal(HttpStatusCode.OK, (await api.PostSignedAsync(Inbound, stop)).StatusCode);

        Assert.Equal(before, await LeadStateAsync(lead));
        Assert.Null(await api.Database.ScalarAsync<DateTime?>("SELECT opted_out_at FROM leads WHERE id = $1", lead));
    }

    [Fact]
    public async Task StatusCallbacksReplayedInAnyOrderAndNumberMoveNothingAlreadyApplied()
    {
        var (id, sid) = await SentMessageAsync();
        var sent = StatusFields(sid, "sent");
        var delivered = StatusFields(sid, "delivered");
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostSignedAsync(Status, sent)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostSignedAsync(Status, delivered)).StatusCode);
        var applied = await MessageRowAsync(id);
        var callbacks = await api.Database.ScalarAsync<long>("SELECT count(*) FROM message_status_callbacks WHERE twilio_sid = $1", sid);

        var replays = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => api.PostSignedAsync(Status, i % 2 == 0 ? sent : delivered)));

        Assert.All(replays, replay => Assert.Equal(HttpStatusCode.NoContent, replay.StatusCode));
        Assert.Equal(applied, await MessageRowAsync(id));
        Assert.Equal(callbacks, await api.Database.ScalarAsync<long>("SELECT count(*) FROM message_status_callbacks WHERE twilio_sid = $1", sid));
    }

    [Fact]
    public async Task ForgedUnsignedAndMisdirectedCallbacksAreRefusedAndStoreNothing()
    {
        var (number, lead) = await ClientWithLeadAsync();
        var (id, sid) = await SentMessageAsync();
        var stop = InboundFields(number, "STOP");
        var delivered = StatusFields(sid, "delivered");
        var before = await StoredAsync();
        var message = await MessageRowAsync(id);

        var attempts = new (string What, string Path, IReadOnlyDictionary<string, string> Fields, string? Signature, bool Sign)[]
        {
            ("unsigned inbound", Inbound, stop, null, false),
            ("unsigned status", Status, delivered, null, false),
            ("empty signature", Inbound, stop, "", true),
            ("signed with another auth token", Inbound, stop, TwilioRequestSignature.Compute("54321", WebhookFixture.PublicBaseUrl + Inbound, stop), true),
            ("a status signature replayed to the inbound URL", Inbound, delivered, Sign(Status, delivered), true),
            ("an inbound signature replayed to the status URL", Status, stop, Sign(Inbound, stop), true),
            ("a field added after signing", Status, With(delivered, "ErrorCode", "30003"), Sign(Status, delivered), true),
            ("a field removed after signing", Inbound, Without(stop, "Body"), Sign(Inbound, stop), true),
            ("signed over the Host header's URL", Inbound, stop, TwilioRequestSignature.Compute(WebhookFixture.AuthToken, "http://localhost" + Inbound, stop), true),
            ("a query string added after signing", Inbound + "?x=1", stop, Sign(Inbound, stop), true),
            ("a signature in lower case", Inbound, stop, Sign(Inbound, stop).ToLowerInvariant(), true),
        };
        foreach (var (what, path, fields, signature, sign) in attempts)
        {
            var response = await api.PostSignedAsync(path, fields, signature, sign);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        using var json = new HttpRequestMessage(HttpMethod.Post, Inbound) { Content = JsonContent.Create(stop) };
        json.Headers.Add(TwilioRequestSignature.HeaderName, Sign(Inbound, stop));
        using var anonymous = api.Anonymous();
        await (await anonymous.SendAsync(json)).ReadProblemAsync(HttpStatusCode.UnsupportedMediaType);

        Assert.Equal(before, await StoredAsync());
        Assert.Equal(message, await MessageRowAsync(id));
        Assert.Null(await api.Database.ScalarAsync<DateTime?>("SELECT opted_out_at FROM leads WHERE id = $1", lead));
    }

    [Theory]
    [InlineData("MessageSid", "SM0123")]
    [InlineData("MessageSid", "")]
    [InlineData("From", "+1415\u00005550171")]
    [InlineData("Body", "STOP\u0000")]
    [InlineData("Body", "\ud800 lone surrogate")]
    [InlineData("To", "+1")]
    public async Task ValidlySignedButHostileInboundFieldsAreNeverAFault(string field, string value)
    {
        var (number, _) = await ClientWithLeadAsync();
        var fields = With(InboundFields(number, "hello"), field, value);
        if (field == "MessageSid" && value.Length > 0)
        {
            fields = With(fields, field, value + new string('9', 10_000));
        }

        var response = await api.PostSignedAsync(Inbound, fields);

        Assert.True((int)response.StatusCode is 200 or 400, $"{field}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [InlineData("MessageSid", "SM0123")]
    [InlineData("ErrorMessage", "bad\u0000thing")]
    [InlineData("ErrorMessage", "\udc00")]
    [InlineData("ErrorCode", "99999999999999999999")]
    [InlineData("MessageStatus", "delivered\u0000")]
    public async Task ValidlySignedButHostileStatusFieldsAreNeverAFault(string field, string value)
    {
        var (id, sid) = await SentMessageAsync();
        var fields = With(StatusFields(sid, "undelivered"), field, field == "MessageSid" ? value + new string('9', 10_000) : value);
        var before = await MessageRowAsync(id);

        var response = await api.PostSignedAsync(Status, fields);

        Assert.True((int)response.StatusCode is 204 or 400, $"{field}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()} {api.Logs.Lines.LastOrDefault(l => l.StartsWith("Error", StringComparison.Ordinal))}");
        if (field is "MessageSid" or "MessageStatus")
        {
            Assert.Equal(before, await MessageRowAsync(id));
        }
    }

    private static string Sign(string path, IReadOnlyDictionary<string, string> fields) =>
        TwilioRequestSignature.Compute(WebhookFixture.AuthToken, WebhookFixture.PublicBaseUrl + path, fields);

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> fields, string name, string value) =>
        new(fields) { [name] = value };

    private static Dictionary<string, string> Without(IReadOnlyDictionary<string, string> fields, string name)
    {
        var copy = new Dictionary<string, string>(fields);
        copy.Remove(name);
        return copy;
    }

    private static Dictionary<string, string> InboundFields(string to, string body) => new()
    {
        ["MessageSid"] = "SM" + Guid.NewGuid().ToString("N"), ["AccountSid"] = "AC" + new string('0', 32),
        ["From"] = LeadPhone, ["To"] = to, ["Body"] = body, ["NumMedia"] = "0", ["NumSegments"] = "1",
    };

    private static Dictionary<string, string> StatusFields(string sid, string status) => new()
    {
        ["MessageSid"] = sid, ["AccountSid"] = "AC" + new string('0', 32), ["From"] = "+15005550006", ["To"] = LeadPhone,
        ["MessageStatus"] = status, ["ApiVersion"] = "2010-04-01",
    };

    private async Task<(string Number, Guid Lead)> ClientWithLeadAsync()
    {
        var number = $"+1415555{Interlocked.Increment(ref _nextNumber)}";
        using var admin = api.Admin();
        var created = await (await admin.PostAsJsonAsync("/clients", new { name = "Replayed", email = "ops@replayed.test", from_number = number }))
            .ReadJsonAsync(HttpStatusCode.Created);
        using var tenant = api.WithApiKey(created.GetProperty("api_key").GetString()!);
        var lead = (await (await tenant.PostAsJsonAsync("/leads", new { phone = LeadPhone })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        return (number, lead);
    }

    /// <summary>A message the Dispatcher has sent (status 'sent', SID recorded).</summary>
    private async Task<(Guid Id, string Sid)> SentMessageAsync()
    {
        using var tenant = await api.CreateTenantAsync(credits: 0);
        var lead = await tenant.CreateLeadAsync(LeadPhone);
        var id = Guid.CreateVersion7();
        var sid = "SM" + Guid.NewGuid().ToString("N");
        await api.Database.ExecuteAsync("""
            INSERT INTO messages (id, client_id, lead_id, source, to_phone, body, segments, status, twilio_sid, attempts, created_at, updated_at, sent_at)
            SELECT $1, client_id, id, 'manual', phone, 'Hi', 1, 'sent', $3, 1, now(), now(), now() FROM leads WHERE id = $2
            """, id, lead, sid);
        return (id, sid);
    }

    private Task<string?> MessageRowAsync(Guid id) => api.Database.ScalarAsync<string>("SELECT row_to_json(m)::text FROM messages m WHERE id = $1", id);

    private Task<string?> LeadStateAsync(Guid lead) => api.Database.ScalarAsync<string>(
        "SELECT row_to_json(l)::text || (SELECT count(*) FROM consent_events WHERE lead_id = l.id) FROM leads l WHERE id = $1", lead);

    private async Task<string> StoredAsync()
    {
        var text = new StringBuilder();
        foreach (var table in new[] { "inbound_messages", "message_status_callbacks", "consent_events" })
        {
            text.Append(table).Append('=').Append(await api.Database.ScalarAsync<long>($"SELECT count(*) FROM {table}")).Append(' ');
        }

        return text.ToString();
    }
}
