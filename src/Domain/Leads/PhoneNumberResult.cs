namespace SmsRemarketing.Domain.Leads;

/// <summary>A phone number in E.164 (<c>+14155550123</c>), or why the input is not one.</summary>
public sealed record PhoneNumberResult(string? E164, string? Error)
{
    public bool IsValid => E164 is not null;
}
