using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace SmsRemarketing.Api.Tests.Hostile;

/// <summary>What the fuzzer found, each pinned by a test of its own (each was a 500 before its fix).</summary>
public sealed class HostileFindingsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData("/leads")]
    [InlineData("/messages")]
    [InlineData("/templates")]
    [InlineData("/triggers")]
    [InlineData("/suppressions")]
    [InlineData("/credits")]
    public async Task ACursorWithCharactersOutsideBase64UrlIsABadRequest(string path)
    {
        using var tenant = await api.CreateTenantAsync(credits: 0);

        // 32 characters, as a real cursor has, but '/' and '+' are not base64url: the decoder threw on them.
        var problem = await (await tenant.Http.GetAsync($"{path}?cursor={Uri.EscapeDataString("////////////////++++++++++++++++")}"))
            .ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("cursor", out _), problem.ToString());
    }

    [Fact]
    public async Task ACallerThatAcceptsOnlyXmlStillGetsItsStatusAsProblemDetails()
    {
        using var anonymous = api.Anonymous();
        using var tenant = await api.CreateTenantAsync(credits: 0);
        using var noKey = new HttpRequestMessage(HttpMethod.Get, "/leads");
        noKey.Headers.Accept.ParseAdd("application/xml");
        using var unknownLead = new HttpRequestMessage(HttpMethod.Get, $"/leads/{Guid.NewGuid()}");
        unknownLead.Headers.Accept.ParseAdd("application/xml");

        await (await anonymous.SendAsync(noKey)).ReadProblemAsync(HttpStatusCode.Unauthorized);
        await (await tenant.Http.SendAsync(unknownLead)).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ABodyInACharsetNobodyKnowsIsUnsupported()
    {
        using var tenant = await api.CreateTenantAsync(credits: 0);
        var content = new ByteArrayContent("{\"phone\":\"+14155550111\"}"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=x-klingon");

        await (await tenant.Http.PostAsync("/leads", content)).ReadProblemAsync(HttpStatusCode.UnsupportedMediaType);

        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM leads WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task ABodyInAKnownCharsetOtherThanUtf8IsStillRead()
    {
        using var tenant = await api.CreateTenantAsync(credits: 0);
        var content = new ByteArrayContent(Encoding.Unicode.GetBytes("{\"phone\":\"+14155550112\",\"first_name\":\"Zo\u00eb\"}"));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-16");

        var lead = await (await tenant.Http.PostAsync("/leads", content)).ReadJsonAsync(HttpStatusCode.Created);

        Assert.Equal("Zo\u00eb", lead.GetProperty("first_name").GetString());
    }

    [Theory]
    [InlineData("%00")]
    [InlineData("a%00b%40example.com")]
    public async Task AnEmailFilterPostgreSqlCannotTakeIsABadRequest(string email)
    {
        using var tenant = await api.CreateTenantAsync(credits: 0);

        var problem = await (await tenant.Http.GetAsync($"/leads?email={email}")).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("email", out _), problem.ToString());
    }

    [Fact]
    public async Task AnOptInNoteWithANulIsRefusedAndTheLeadStaysOptedOut()
    {
        using var tenant = await api.CreateTenantAsync(credits: 0);
        var lead = await tenant.CreateLeadAsync("+14155550113");
        await (await tenant.Http.PostAsJsonAsync("/suppressions", new { lead_id = lead })).ReadJsonAsync(HttpStatusCode.OK);

        await (await tenant.LiftOptOutAsync($"/suppressions/{lead}", "a\0b")).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(await api.Database.ScalarAsync<bool>("SELECT opted_out_at IS NOT NULL FROM leads WHERE id = $1", lead));
        await (await tenant.LiftOptOutAsync($"/suppressions/{lead}", "asked by phone")).ReadJsonAsync(HttpStatusCode.NoContent);
    }
}
