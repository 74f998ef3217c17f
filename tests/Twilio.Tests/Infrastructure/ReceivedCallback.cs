using Microsoft.Extensions.Primitives;

namespace SmsRemarketing.Twilio.Tests.Infrastructure;

internal sealed record ReceivedCallback(string PathAndQuery, IReadOnlyList<KeyValuePair<string, StringValues>> Form, string? Signature, string? UserAgent)
{
    public string this[string field] => Form.Single(f => f.Key == field).Value.ToString();

    public bool Has(string field) => Form.Any(f => f.Key == field);
}
