using System.Net;

namespace SmsRemarketing.Api.Tests.Hostile;

/// <summary>The Api with a short statement timeout, so a test can make one of its statements run past it.</summary>
public sealed class StatementTimeoutFixture : ApiFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Database:StatementTimeout"] = "00:00:00.5",
    };
}

/// <summary>
/// A request whose statement runs too long (here: it waits for a lock another session holds) is cancelled by PostgreSQL
/// at the Api's <c>Database:StatementTimeout</c> and answered 503, so it never holds a connection and its locks for
/// long; the next request is served as usual.
/// </summary>
public sealed class StatementTimeoutTests(StatementTimeoutFixture api) : IClassFixture<StatementTimeoutFixture>
{
    [Fact]
    public async Task AStatementPastTheTimeoutIsCancelledAnswered503AndTheApiServesTheNextRequest()
    {
        using var tenant = await api.CreateTenantAsync(credits: 0);
        await tenant.CreateTemplateAsync("Hi {{first_name}}");

        await using (var connection = await api.Database.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using (var lockTemplates = new Npgsql.NpgsqlCommand("LOCK TABLE templates IN ACCESS EXCLUSIVE MODE", connection, transaction))
            {
                await lockTemplates.ExecuteNonQueryAsync();
            }

            // Answered while the lock is still held: the statement was cancelled, it did not wait for the lock.
            var response = await tenant.Http.GetAsync("/templates");

            var problem = await response.ReadProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Contains("StatementTimeout", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "no Retry-After");
            await transaction.RollbackAsync();
        }

        var templates = await (await tenant.Http.GetAsync("/templates")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, templates.GetProperty("data").GetArrayLength());
    }
}
