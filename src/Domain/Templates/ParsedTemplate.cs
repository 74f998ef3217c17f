namespace SmsRemarketing.Domain.Templates;

/// <summary>A template body split into literal text and placeholders, or the syntax errors that prevented it.</summary>
public sealed record ParsedTemplate(IReadOnlyList<TemplatePart> Parts, IReadOnlyList<TemplateError> Errors)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>Distinct variable names, in order of first use.</summary>
    public IReadOnlyList<string> Variables { get; } =
        Parts.Where(p => p.IsVariable).Select(p => p.VariableName!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
}
