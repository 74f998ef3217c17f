namespace SmsRemarketing.Domain.Templates;

/// <summary>
/// The outcome of rendering: the text, or why there is none — syntax errors, or variables that had neither a value
/// nor a default (a message is never sent with a hole in it).
/// </summary>
public sealed record RenderedTemplate(string? Text, IReadOnlyList<string> MissingVariables, IReadOnlyList<TemplateError> Errors)
{
    public bool Succeeded => Text is not null;
}
