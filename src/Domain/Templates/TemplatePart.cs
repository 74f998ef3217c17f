namespace SmsRemarketing.Domain.Templates;

/// <summary>
/// One piece of a parsed template: literal text (<see cref="VariableName"/> null) or a <c>{{name|default}}</c>
/// placeholder (<see cref="Default"/> null when the placeholder has none).
/// </summary>
public sealed record TemplatePart(string? Text, string? VariableName, string? Default)
{
    public bool IsVariable => VariableName is not null;
}
