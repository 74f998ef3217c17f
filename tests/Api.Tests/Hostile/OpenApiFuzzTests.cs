using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace SmsRemarketing.Api.Tests.Hostile;

/// <summary>
/// Every operation of the Api's own OpenAPI document, called with seeded random values, boundary values, wrong types,
/// huge and deeply nested bodies, invalid UTF-8, bad path ids and malformed query strings. Never a 500, never a hang,
/// a problem details answer for every 4xx, the service still live, and another tenant's rows untouched. The seed is
/// in every failure message; set SMSR_FUZZ_SEED to replay a run.
/// </summary>
public sealed class OpenApiFuzzTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("SMSR_FUZZ_SEED"), CultureInfo.InvariantCulture, out var seed) ? seed : 20261124;

    [Fact]
    public async Task NoOperationFailsOrHangsOnHostileInputAndAnotherTenantsRowsStayAsTheyWere()
    {
        using var victim = await SeededTenant.CreateAsync(api, "victim", "0101");
        using var attacker = await SeededTenant.CreateAsync(api, "attacker", "0202");
        // The admin fuzz may deactivate or re-key whatever client it names: only this one, so the attacker's key keeps working.
        using var operatorTarget = await SeededTenant.CreateAsync(api, "operator-target", "0303");
        var before = await TenantSnapshot.TakeAsync(api.Database, victim.Id);
        var document = await OpenApiOperations.FetchAsync(api);
        var operations = document.All();
        Assert.True(operations.Count >= 30, $"only {operations.Count} operations in the OpenAPI document");

        var failures = new List<string>();
        var sent = 0;
        var clock = Stopwatch.StartNew();
        using var admin = api.Admin();
        using var anonymous = api.Anonymous();
        foreach (var operation in operations)
        {
            // Tenant calls use the attacker's key, so the victim's ids are another tenant's; admin calls never name the victim.
            var pool = operation.IsAdmin ? operatorTarget.RowIds.Append(Guid.NewGuid()).ToList() : [.. attacker.RowIds, .. victim.RowIds, Guid.Empty];
            var values = new FuzzValues(document, Seed ^ StableHash(operation.ToString()), pool);
            var http = operation.IsAdmin ? admin : operation.IsWebhook ? anonymous : attacker.Tenant.Http;
            foreach (var fuzzCase in Cases(operation, values))
            {
                sent++;
                var errors = api.Logs.Lines.Count;
                var failure = await SendAsync(http, fuzzCase);
                if (failure is not null && api.Logs.Lines.Skip(errors).FirstOrDefault(l => l.StartsWith("Error", StringComparison.Ordinal)) is { } logged)
                {
                    failure += $"\n    logged: {Shorten(logged, 600)}";
                }
                if (failure is not null)
                {
                    failures.Add($"{operation} [{fuzzCase.Description}]: {failure}");
                }
            }
        }

        Assert.True(failures.Count == 0,
            $"seed {Seed}: {failures.Count} of {sent} requests failed in {clock.Elapsed.TotalSeconds:F0} s:\n{string.Join("\n", failures.Take(40))}");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        TenantSnapshot.AssertUnchanged(before, await TenantSnapshot.TakeAsync(api.Database, victim.Id), $"seed {Seed}");
    }

    private sealed record FuzzCase(string Description, HttpMethod Method, string Url, Func<HttpContent?> Content, (string Name, string Value)? Header = null);

    private static IEnumerable<FuzzCase> Cases(OpenApiOperation operation, FuzzValues values)
    {
        var method = new HttpMethod(operation.Method);
        string ValidPath() => operation.Path(_ => values.Pick(values.Ids).ToString());
        string RandomQuery() => Query(operation.QueryParameters.Where(_ => values.Next(2) == 0)
            .Select(p => (p.Name, Uri.EscapeDataString(values.RandomJson(p.Schema, p.Name).Trim('"')))));
        var body = operation.JsonBody;
        Func<HttpContent?> RandomBody() => body is { } schema ? Json(values.RandomObject(schema)) : () => null;

        for (var i = 0; i < 4; i++)
        {
            yield return new FuzzCase("random", method, ValidPath() + RandomQuery(), RandomBody());
        }

        if (body is { } bodySchema)
        {
            foreach (var (name, schema) in values.Properties(bodySchema))
            {
                var boundary = Enumerable.Range(0, 5).Select(_ => values.Pick(FuzzValues.Boundary)).Concat(values.WrongTypes(schema));
                foreach (var raw in boundary.Distinct())
                {
                    yield return new FuzzCase($"{name}={Shorten(raw)}", method, ValidPath(), Json(values.ObjectWith(bodySchema, name, raw)));
                }

                yield return new FuzzCase($"{name} nested 10k deep", method, ValidPath(),
                    Json(values.ObjectWith(bodySchema, name, new string('[', 10_000) + new string(']', 10_000))));
            }

            var filler = new string('x', 1024 * 1024);
            yield return new FuzzCase("1 MB body with its length", method, ValidPath(), Json($"{{\"name\":\"{filler}\"}}"));
            yield return new FuzzCase("5 MB body, chunked", method, ValidPath(), () => Chunked(Encoding.UTF8.GetBytes($"{{\"name\":\"{string.Concat(Enumerable.Repeat(filler, 5))}\"}}")));
            yield return new FuzzCase("10k-deep nested arrays", method, ValidPath(), Json(new string('[', 10_000) + new string(']', 10_000)));
            yield return new FuzzCase("10k-deep nested objects", method, ValidPath(),
                Json(string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000)));
            yield return new FuzzCase("invalid UTF-8", method, ValidPath(), () => Bytes([(byte)'{', (byte)'"', 0xC3, 0x28, 0xFF, 0xFE, (byte)'"', (byte)':', (byte)'1', (byte)'}'], "application/json"));
            yield return new FuzzCase("lone surrogates in names", method, ValidPath(), Json("{\"\\ud800\":\"\\udfff\",\"a\\u0000\":1}"));
            yield return new FuzzCase("null body", method, ValidPath(), Json("null"));
            yield return new FuzzCase("empty body", method, ValidPath(), Json(""));
            yield return new FuzzCase("duplicate properties", method, ValidPath(), Json("{\"name\":\"a\",\"name\":\"b\",\"name\":{}}"));
            yield return new FuzzCase("text/plain", method, ValidPath(), () => new StringContent(values.RandomObject(bodySchema), Encoding.UTF8, "text/plain"));
            yield return new FuzzCase("no content type", method, ValidPath(), () => Bytes(Encoding.UTF8.GetBytes(values.RandomObject(bodySchema)), null));
            yield return new FuzzCase("json with a bogus charset", method, ValidPath(), () => Bytes("{}"u8.ToArray(), "application/json; charset=x-klingon"));
        }

        if (operation.FormBody)
        {
            yield return new FuzzCase("form, invalid UTF-8", method, ValidPath(), () => Bytes([(byte)'A', (byte)'=', 0xC3, 0x28, (byte)'&', 0xFF, (byte)'=', (byte)'%', (byte)'Z'], "application/x-www-form-urlencoded"));
            yield return new FuzzCase("form, 1 MB field", method, ValidPath(), () => new FormUrlEncodedContent([new("Body", new string('x', 1024 * 1024))]));
        }

        foreach (var parameter in operation.QueryParameters)
        {
            string[] always = ["%00", "%ED%A0%80", "%FF", "////////////////////////////////", new string('A', 10_000)];
            foreach (var value in always.Concat(Enumerable.Range(0, 2).Select(_ => values.Pick(FuzzValues.MalformedQuery))).Distinct())
            {
                yield return new FuzzCase($"?{parameter.Name}={Shorten(value)}", method, ValidPath() + Query([(parameter.Name, value)]), RandomBody());
            }

            yield return new FuzzCase($"?{parameter.Name} twice", method, ValidPath() + Query([(parameter.Name, "1"), (parameter.Name, "2")]), RandomBody());
        }

        if (operation.PathParameters.Any())
        {
            foreach (var bad in new[] { "not-a-guid", "00000000-0000-0000-0000-000000000000", "0", new string('9', 5_000), "..%2F..%2Fclients", "{id}", "\u202E😀", Guid.NewGuid().ToString("N") + "x" })
            {
                yield return new FuzzCase($"path={Shorten(bad)}", method, operation.Path(_ => bad), RandomBody());
            }
        }

        yield return new FuzzCase("10k Idempotency-Key", method, ValidPath(), RandomBody(), ("Idempotency-Key", new string('k', 10_000)));
        yield return new FuzzCase("non-ASCII Idempotency-Key", method, ValidPath(), RandomBody(), ("Idempotency-Key", "\u00e9\u00ff\u0001"));
        yield return new FuzzCase("two API keys", method, ValidPath(), RandomBody(), ("X-API-Key", "sk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        yield return new FuzzCase("Accept: nothing we serve", method, ValidPath(), RandomBody(), ("Accept", "application/xml"));
    }

    private static async Task<string?> SendAsync(HttpClient http, FuzzCase fuzzCase)
    {
        using var request = new HttpRequestMessage(fuzzCase.Method, fuzzCase.Url) { Content = fuzzCase.Content() };
        if (fuzzCase.Header is var (name, value))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var timeout = new CancellationTokenSource(HangGuard);
        HttpResponseMessage response;
        string text;
        try
        {
            response = await http.SendAsync(request, timeout.Token);
            text = await response.Content.ReadAsStringAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return $"no answer within {HangGuard.TotalSeconds} s";
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status >= 500)
            {
                return $"{status}: {Shorten(text, 400)}";
            }

            if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                return $"{status} without problem details ({response.Content.Headers.ContentType}): {Shorten(text, 200)}";
            }
        }

        return null;
    }

    /// <summary>FNV-1a: string.GetHashCode differs between processes, and a failure must replay from its seed.</summary>
    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return unchecked((int)hash);
    }

    private static string Query(IEnumerable<(string Name, string Value)> pairs)
    {
        var query = string.Join("&", pairs.Select(p => $"{Uri.EscapeDataString(p.Name)}={p.Value}"));
        return query.Length == 0 ? "" : "?" + query;
    }

    private static Func<HttpContent?> Json(string raw) => () => new StringContent(raw, new MediaTypeHeaderValue("application/json"));

    private static ByteArrayContent Bytes(byte[] bytes, string? contentType)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return content;
    }

    /// <summary>A body of unknown length (no Content-Length), so only the server's own limit can stop it.</summary>
    private static StreamContent Chunked(byte[] bytes)
    {
        var content = new StreamContent(new UnseekableStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static string Shorten(string text, int length = 40) =>
        text.Length <= length ? text : string.Concat(text.AsSpan(0, length), $"…({text.Length} chars)");

    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
