using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using SmsRemarketing.Testing;
using SmsRemarketing.Twilio.Tests.Infrastructure;

namespace SmsRemarketing.Twilio.Tests.TwilioEmulator;

/// <summary>The emulator's JSON is checked against Twilio's own OpenAPI description, property by property.</summary>
public sealed class OpenApiShapeTests : EmulatorTest
{
    private const string MessagesPathTemplate = "/2010-04-01/Accounts/{AccountSid}/Messages.json";

    [Fact]
    public async Task ACreatedMessageHasEveryPropertyOfTwilioMessageSchemaWithItsTypeAndNothingElse()
    {
        using var response = await CreateAuthenticatedRawClient().PostAsync(MessagesPath(), Form(("To", Recipient), ("From", Sender), ("Body", "Hello! 👍")));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        AssertMatchesMessageSchema(json.RootElement);
    }

    [Fact]
    public async Task ADeliveredMessageStillMatchesTheSchemaWithPriceAndDateSentFilledIn()
    {
        var client = CreateClient();
        var sid = Assert.IsType<SendAccepted>(await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi")).Sid;
        await Eventually.WaitAsync(() => client.FetchAsync(sid), m => m?.Status == "delivered", "delivered");

        using var response = await CreateAuthenticatedRawClient().GetAsync($"2010-04-01/Accounts/{Emulator.Options.AccountSid}/Messages/{sid}.json");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        AssertMatchesMessageSchema(json.RootElement);
        Assert.Equal(JsonValueKind.String, json.RootElement.GetProperty("price").ValueKind);
        Assert.Equal(JsonValueKind.String, json.RootElement.GetProperty("date_sent").ValueKind);
    }

    [Fact]
    public async Task TheListResponseHasEveryPropertyOfTwilioListSchema()
    {
        await CreateClient().SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi");
        using var response = await CreateAuthenticatedRawClient().GetAsync(MessagesPath() + "?PageSize=1");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var schema = TwilioSpec.Operation(MessagesPathTemplate, "get")
            .GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema");

        var properties = schema.GetProperty("properties").EnumerateObject().ToList();
        Assert.Equal(properties.Select(p => p.Name).Order(StringComparer.Ordinal), json.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (var property in properties)
        {
            AssertType(property.Name, property.Value, json.RootElement.GetProperty(property.Name));
        }

        foreach (var message in json.RootElement.GetProperty("messages").EnumerateArray())
        {
            AssertMatchesMessageSchema(message);
        }
    }

    [Fact]
    public async Task EveryFieldTheClientSendsIsAParameterOfTwilioCreateMessageRequest()
    {
        var client = CreateClient(o => o.StatusCallbackUrl = new Uri("https://hooks.example.com/status"));
        await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi");
        await client.SendAsync(Recipient, TwilioSender.FromMessagingService("MG0123456789abcdef0123456789abcdef"), "hi");
        var schema = TwilioSpec.Operation(MessagesPathTemplate, "post")
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/x-www-form-urlencoded").GetProperty("schema");
        var parameters = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

        Assert.Equal("CreateMessageRequest", schema.GetProperty("title").GetString());
        Assert.All((await Admin.GetMessagesAsync()).SelectMany(m => m.Form.Keys), key => Assert.Contains(key, parameters));
    }

    private static void AssertMatchesMessageSchema(JsonElement message)
    {
        var properties = TwilioSpec.Schema("api.v2010.account.message").GetProperty("properties").EnumerateObject().ToList();
        Assert.Equal(properties.Select(p => p.Name).Order(StringComparer.Ordinal), message.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (var property in properties)
        {
            AssertType(property.Name, property.Value, message.GetProperty(property.Name));
        }
    }

    private static void AssertType(string name, JsonElement schema, JsonElement value)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var target = TwilioSpec.Schema(reference.GetString()!.Split('/')[^1]);
            Assert.True(value.ValueKind == JsonValueKind.String, $"{name} should be a string");
            Assert.Contains(value.GetString(), target.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
            return;
        }

        var nullable = schema.TryGetProperty("nullable", out var n) && n.GetBoolean();
        if (value.ValueKind == JsonValueKind.Null)
        {
            Assert.True(nullable, $"{name} is null but not nullable");
            return;
        }

        var type = schema.GetProperty("type").GetString();
        var expectedKind = type switch
        {
            "string" => JsonValueKind.String,
            "integer" or "number" => JsonValueKind.Number,
            "object" => JsonValueKind.Object,
            "array" => JsonValueKind.Array,
            _ => throw new InvalidOperationException($"Unexpected schema type {type} for {name}"),
        };
        Assert.True(value.ValueKind == expectedKind, $"{name} should be {type} but is {value.ValueKind}");

        if (schema.TryGetProperty("pattern", out var pattern))
        {
            Assert.Matches(new Regex(pattern.GetString()!), value.GetString()!);
        }

        if (schema.TryGetProperty("format", out var format) && format.GetString() == "date-time-rfc-2822")
        {
            Assert.True(DateTimeOffset.TryParseExact(value.GetString(), "ddd, dd MMM yyyy HH:mm:ss zzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out _), $"{name}: {value.GetString()} is not RFC 2822");
        }

        if (type == "integer")
        {
            Assert.True(value.TryGetInt64(out _), $"{name} should be an integer");
        }
    }
}
