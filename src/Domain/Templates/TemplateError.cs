namespace SmsRemarketing.Domain.Templates;

/// <summary>A syntax error in a template body; <see cref="Position"/> is the 0-based index of the offending text.</summary>
public sealed record TemplateError(int Position, string Message)
{
    public override string ToString() => $"{Message} (at position {Position})";
}
