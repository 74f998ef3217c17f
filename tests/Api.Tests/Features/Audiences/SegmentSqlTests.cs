using System.Text.Json;
using Npgsql;
using SmsRemarketing.Domain.Audiences;
using SmsRemarketing.Domain.Validation;

namespace SmsRemarketing.Api.Tests.Features.Audiences;

/// <summary>
/// The SQL a campaign builds from segments (<see cref="SegmentFilter.ToSql"/>, <see cref="Segments.MembershipSql"/>),
/// run on PostgreSQL in a statement of the caller's own; here rather than in the Domain tests, which have no database.
/// </summary>
public sealed class SegmentSqlTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task AnIncludeAndAnExcludeSegmentGoInOneStatementEachWithItsOwnParameters()
    {
        using var tenant = await api.CreateTenantAsync();
        using var other = await api.CreateTenantAsync(name: "Other");
        await tenant.CreateLeadAsync(new { phone = "+14155550201", first_name = "light", custom_fields = new { plan = "gold", visits = 1 } });
        await tenant.CreateLeadAsync(new { phone = "+14155550202", first_name = "heavy", custom_fields = new { plan = "gold", visits = 9 } });
        await tenant.CreateLeadAsync(new { phone = "+14155550203", first_name = "silver", custom_fields = new { plan = "silver", visits = 1 } });
        var optedOut = (await tenant.CreateLeadAsync(new { phone = "+14155550204", first_name = "stopped", custom_fields = new { plan = "gold", visits = 1 } })).GetProperty("id").GetGuid();
        await api.Database.OptOutLeadAsync(optedOut);
        await other.CreateLeadAsync(new { phone = "+14155550201", first_name = "elsewhere", custom_fields = new { plan = "gold", visits = 1 } });
        var (include, includeParameters) = Parse("""{"field": "custom_fields.plan", "op": "eq", "value": "gold"}""").ToSql("lead", "include");
        var (exclude, excludeParameters) = Parse("""{"field": "custom_fields.visits", "op": "gt", "value": 5}""").ToSql("lead", "exclude");

        await using var command = api.Database.DataSource.CreateCommand(
            $"SELECT lead.first_name FROM leads lead WHERE lead.client_id = @client AND {Segments.MembershipSql("lead")} AND {include} AND NOT {exclude}");
        command.Parameters.Add(new NpgsqlParameter("client", tenant.Id));
        command.Parameters.AddRange(includeParameters.Concat(excludeParameters).ToArray());
        var names = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }

        Assert.Equal(["light"], names);
        Assert.All(includeParameters, p => Assert.StartsWith("include", p.ParameterName, StringComparison.Ordinal));
        Assert.All(excludeParameters, p => Assert.StartsWith("exclude", p.ParameterName, StringComparison.Ordinal));
    }

    [Fact]
    public void NoValueNorCustomFieldKeyOfTheFilterIsWrittenIntoTheSql()
    {
        var filter = Parse("""
            {"any": [
              {"field": "first_name", "op": "eq", "value": "x'); DROP TABLE leads;--"},
              {"field": "custom_fields.secret_key", "op": "contains", "value": "DELETE FROM clients"}
            ]}
            """);

        var (sql, parameters) = filter.ToSql("l", "p");

        Assert.DoesNotContain("DROP", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("DELETE", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("secret_key", sql, StringComparison.Ordinal);
        Assert.Contains(parameters, p => Equals(p.Value, "x'); DROP TABLE leads;--"));
        Assert.Contains(parameters, p => Equals(p.Value, "secret_key"));
    }

    [Theory]
    [InlineData("l; DROP TABLE leads; --", "p")]
    [InlineData("L", "p")]
    [InlineData("l", "p1")]
    [InlineData("l", "p-")]
    public void AnAliasOrAPrefixThatIsNotAPlainNameIsRefused(string alias, string prefix)
    {
        var filter = Parse("""{"field": "first_name", "op": "exists"}""");

        Assert.Throws<ArgumentException>(() => filter.ToSql(alias, prefix));
    }

    private static SegmentFilter Parse(string json)
    {
        var errors = new FieldErrors();
        var filter = SegmentFilter.Parse(JsonDocument.Parse(json).RootElement, errors);
        Assert.True(errors.IsValid);
        return filter!;
    }
}
