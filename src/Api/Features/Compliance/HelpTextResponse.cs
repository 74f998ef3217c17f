namespace SmsRemarketing.Api.Features.Compliance;

/// <summary><see cref="HelpText"/> as set (null: the default), and <see cref="Reply"/>, the text actually sent.</summary>
internal sealed record HelpTextResponse(string? HelpText, string Reply);
