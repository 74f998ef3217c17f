using System.Text;

namespace SmsRemarketing.Domain.Templates;

/// <summary>
/// The <c>{{variable}}</c> language of templates: <c>{{ name }}</c> and <c>{{name|default}}</c>, whitespace inside the
/// braces ignored. Names are letters, digits and underscores, not starting with a digit, and match case-insensitively.
/// Single braces are ordinary text; a <c>}}</c> outside a placeholder or a <c>{{</c> never closed is an error, because
/// it is almost always a typo that would otherwise go out to customers verbatim.
/// </summary>
public static class TemplateRenderer
{
    public static ParsedTemplate Parse(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var parts = new List<TemplatePart>();
        var errors = new List<TemplateError>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < body.Length)
        {
            if (At(body, i, "{{"))
            {
                var close = body.IndexOf("}}", i + 2, StringComparison.Ordinal);
                var nextOpen = body.IndexOf("{{", i + 2, StringComparison.Ordinal);
                if (close < 0 || (nextOpen >= 0 && nextOpen < close))
                {
                    errors.Add(new TemplateError(i, "'{{' is never closed with '}}'"));
                    i += 2;
                    continue;
                }

                var inner = body[(i + 2)..close];
                var bar = inner.IndexOf('|', StringComparison.Ordinal);
                var name = (bar < 0 ? inner : inner[..bar]).Trim();
                var fallback = bar < 0 ? null : inner[(bar + 1)..].Trim();
                if (name.Length == 0)
                {
                    errors.Add(new TemplateError(i, "a placeholder needs a variable name"));
                }
                else if (!IsValidName(name))
                {
                    errors.Add(new TemplateError(i, $"'{name}' is not a valid variable name (letters, digits and '_', not starting with a digit)"));
                }
                else
                {
                    Flush(literal, parts);
                    parts.Add(new TemplatePart(null, name, fallback));
                }

                i = close + 2;
            }
            else if (At(body, i, "}}"))
            {
                errors.Add(new TemplateError(i, "'}}' without a matching '{{'"));
                i += 2;
            }
            else
            {
                literal.Append(body[i]);
                i++;
            }
        }

        Flush(literal, parts);
        return new ParsedTemplate(parts, errors);
    }

    /// <summary>
    /// Renders <paramref name="body"/>, taking each variable from <paramref name="lookup"/> (a null or blank value
    /// counts as absent, so the default applies).
    /// </summary>
    public static RenderedTemplate Render(string body, Func<string, string?> lookup) => Render(Parse(body), lookup);

    public static RenderedTemplate Render(ParsedTemplate template, Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(lookup);
        if (!template.IsValid)
        {
            return new RenderedTemplate(null, [], template.Errors);
        }

        var text = new StringBuilder();
        var missing = new List<string>();
        foreach (var part in template.Parts)
        {
            if (!part.IsVariable)
            {
                text.Append(part.Text);
                continue;
            }

            var value = lookup(part.VariableName!);
            if (!string.IsNullOrWhiteSpace(value))
            {
                text.Append(value);
            }
            else if (part.Default is not null)
            {
                text.Append(part.Default);
            }
            else if (!missing.Contains(part.VariableName!, StringComparer.OrdinalIgnoreCase))
            {
                missing.Add(part.VariableName!);
            }
        }

        return missing.Count > 0 ? new RenderedTemplate(null, missing, []) : new RenderedTemplate(text.ToString(), [], []);
    }

    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static bool At(string body, int index, string token) =>
        string.CompareOrdinal(body, index, token, 0, token.Length) == 0;

    private static void Flush(StringBuilder literal, List<TemplatePart> parts)
    {
        if (literal.Length > 0)
        {
            parts.Add(new TemplatePart(literal.ToString(), null, null));
            literal.Clear();
        }
    }
}
