using System.Text.Json;
using SmsRemarketing.Testing;
using SmsRemarketing.Twilio.Tests.Infrastructure;

namespace SmsRemarketing.Twilio.Tests.TwilioEmulator;

public sealed class ListPagingTests : EmulatorTest
{
    [Fact]
    public async Task PageNumbersOffsetTheListAndThePagingUrisFollowTwilioShape()
    {
        var sids = await SendAsync(5);
        var http = CreateAuthenticatedRawClient();

        using var page1 = await GetJsonAsync(http, MessagesPath() + $"?To={Uri.EscapeDataString(Recipient)}&PageSize=2&Page=1");
        var root = page1.RootElement;

        Assert.Equal([sids[2], sids[1]], Sids(root));
        Assert.Equal((1, 2, 2, 3), (root.GetProperty("page").GetInt32(), root.GetProperty("page_size").GetInt32(), root.GetProperty("start").GetInt32(), root.GetProperty("end").GetInt32()));
        Assert.Equal($"/{MessagesPath()}?To=%2B14155550100&PageSize=2&Page=0", root.GetProperty("first_page_uri").GetString());
        Assert.Equal($"/{MessagesPath()}?To=%2B14155550100&PageSize=2&Page=1", root.GetProperty("uri").GetString());
        Assert.StartsWith($"/{MessagesPath()}?To=%2B14155550100&PageSize=2&Page=2&PageToken=", root.GetProperty("next_page_uri").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(JsonValueKind.Null, root.GetProperty("previous_page_uri").ValueKind);
    }

    [Fact]
    public async Task FollowingNextThenPreviousReturnsToTheSamePage()
    {
        await SendAsync(5);
        var http = CreateAuthenticatedRawClient();

        using var first = await GetJsonAsync(http, MessagesPath() + "?PageSize=2");
        using var second = await GetJsonAsync(http, first.RootElement.GetProperty("next_page_uri").GetString()!);
        using var back = await GetJsonAsync(http, second.RootElement.GetProperty("previous_page_uri").GetString()!);

        Assert.Equal(Sids(first.RootElement), Sids(back.RootElement));
        Assert.Equal(0, back.RootElement.GetProperty("page").GetInt32());
    }

    [Fact]
    public async Task TokenPagingIsStableWhileNewMessagesArrive()
    {
        var sids = await SendAsync(4);
        var http = CreateAuthenticatedRawClient();

        using var first = await GetJsonAsync(http, MessagesPath() + "?PageSize=2");
        await SendAsync(3);
        using var second = await GetJsonAsync(http, first.RootElement.GetProperty("next_page_uri").GetString()!);

        Assert.Equal([sids[1], sids[0]], Sids(second.RootElement));
        Assert.Equal(JsonValueKind.Null, second.RootElement.GetProperty("next_page_uri").ValueKind);
    }

    [Fact]
    public async Task PageSizeDefaultsTo50AndIsCappedAt1000()
    {
        var http = CreateAuthenticatedRawClient();

        using var defaults = await GetJsonAsync(http, MessagesPath());
        using var capped = await GetJsonAsync(http, MessagesPath() + "?PageSize=5000");

        Assert.Equal(50, defaults.RootElement.GetProperty("page_size").GetInt32());
        Assert.Equal(1000, capped.RootElement.GetProperty("page_size").GetInt32());
    }

    [Fact]
    public async Task DateSentBeforeAndAfterFiltersAreInclusiveDays()
    {
        var client = CreateClient();
        var sid = (await SendAsync(1))[0];
        var sent = await Eventually.WaitAsync(() => client.FetchAsync(sid), m => m?.DateSent is not null, "date_sent");
        var day = DateOnly.FromDateTime(sent!.DateSent!.Value.UtcDateTime);
        var http = CreateAuthenticatedRawClient();

        async Task<int> CountAsync(string filter)
        {
            using var json = await GetJsonAsync(http, MessagesPath() + "?" + filter);
            return json.RootElement.GetProperty("messages").GetArrayLength();
        }

        Assert.Equal(1, await CountAsync($"DateSent%3E={day:yyyy-MM-dd}"));
        Assert.Equal(1, await CountAsync($"DateSent%3C={day:yyyy-MM-dd}"));
        Assert.Equal(1, await CountAsync($"DateSent={day:yyyy-MM-dd}"));
        Assert.Equal(0, await CountAsync($"DateSent%3C={day.AddDays(-1):yyyy-MM-dd}"));
        Assert.Equal(0, await CountAsync($"DateSent%3E={day.AddDays(1):yyyy-MM-dd}"));
    }

    [Fact]
    public async Task AnUnparseableDateFilterIsA400()
    {
        using var response = await CreateAuthenticatedRawClient().GetAsync(MessagesPath() + "?DateSent%3E=yesterday");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<List<string>> SendAsync(int count)
    {
        var client = CreateClient();
        var sids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            sids.Add(Assert.IsType<SendAccepted>(await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), $"m{i}")).Sid);
        }

        return sids;
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient http, string pathAndQuery)
    {
        using var response = await http.GetAsync(pathAndQuery.TrimStart('/'));
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static List<string> Sids(JsonElement list) =>
        [.. list.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("sid").GetString()!)];
}
