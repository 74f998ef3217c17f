using System.Net;

namespace SmsRemarketing.Api.Tests.Hosting;

public sealed class DocumentationTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task TheOpenApiDocumentDescribesEveryFeature()
    {
        using var anonymous = api.Anonymous();

        var document = await (await anonymous.GetAsync("/openapi/v1.json")).ReadJsonAsync(HttpStatusCode.OK);

        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/clients", "/credits/add", "/credits", "/leads", "/leads/{id}", "/templates/{id}/preview", "/messages/send", "/messages/{id}", "/triggers", "/triggers/{id}/fire" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"missing {path}");
        }
    }

    [Fact]
    public async Task TheApiReferencePageIsServed()
    {
        using var anonymous = api.Anonymous();

        var page = await anonymous.GetAsync("/scalar");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("text/html", page.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LivenessAnswersWithoutAKey()
    {
        using var anonymous = api.Anonymous();

        var health = await (await anonymous.GetAsync("/health/live")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("Healthy", health.GetProperty("status").GetString());
    }
}
