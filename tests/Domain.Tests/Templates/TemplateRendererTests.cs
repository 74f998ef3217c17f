using System.Text.Json;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Domain.Templates;

namespace SmsRemarketing.Domain.Tests.Templates;

public sealed class TemplateRendererTests
{
    [Theory]
    [InlineData("Hi {{first_name}}!", "Hi Ada!")]
    [InlineData("Hi {{ first_name }}!", "Hi Ada!")]
    [InlineData("Hi {{FIRST_NAME}}!", "Hi Ada!")]
    [InlineData("Hi {{nickname|there}}!", "Hi there!")]
    [InlineData("Hi {{ nickname | my friend }}!", "Hi my friend!")]
    [InlineData("Hi {{nickname|}}!", "Hi !")]
    [InlineData("Braces { alone } are text", "Braces { alone } are text")]
    [InlineData("{{first_name}}{{last_name}}", "AdaLovelace")]
    [InlineData("Default with a bar {{nickname|a|b}}", "Default with a bar a|b")]
    public void PlaceholdersTakeTheLeadsValuesOrTheirDefault(string body, string expected)
    {
        var rendered = TemplateRenderer.Render(body, Lookup(("first_name", "Ada"), ("last_name", "Lovelace")));

        Assert.True(rendered.Succeeded);
        Assert.Equal(expected, rendered.Text);
    }

    [Fact]
    public void AVariableWithNoValueAndNoDefaultIsNamedNotLeftAsAHole()
    {
        var rendered = TemplateRenderer.Render("Hi {{first_name}}, {{code}} {{code}} {{x|ok}}", Lookup(("first_name", " ")));

        Assert.False(rendered.Succeeded);
        Assert.Null(rendered.Text);
        Assert.Equal(["first_name", "code"], rendered.MissingVariables);
    }

    [Theory]
    [InlineData("{{", 0)]
    [InlineData("ab }}", 3)]
    [InlineData("a {{b {{c}}", 2)]
    [InlineData("x {{ }}", 2)]
    [InlineData("x {{9lives}}", 2)]
    [InlineData("x {{a-b}}", 2)]
    public void SyntaxErrorsCarryTheirPosition(string body, int position)
    {
        var parsed = TemplateRenderer.Parse(body);

        Assert.False(parsed.IsValid);
        Assert.Equal(position, parsed.Errors[0].Position);
    }

    [Fact]
    public void VariablesAreListedOnceInOrderOfUse()
    {
        var parsed = TemplateRenderer.Parse("{{b}} {{a|x}} {{B}} {{c}}");

        Assert.Equal(["b", "a", "c"], parsed.Variables);
    }

    [Fact]
    public void CallVariablesWinOverLeadFieldsWhichWinOverCustomFields()
    {
        var lead = new Lead
        {
            Phone = "+14155550100",
            FirstName = "Ada",
            CustomFields = JsonDocument.Parse("""{"first_name": "Custom", "plan": "gold", "visits": 3, "vip": true, "tags": ["a"], "none": null}""").RootElement,
        };

        var values = TemplateVariables.For(lead, new Dictionary<string, string?> { ["plan"] = "platinum" });

        Assert.Equal("Ada", values("first_name"));
        Assert.Equal("platinum", values("plan"));
        Assert.Equal("3", values("visits"));
        Assert.Equal("true", values("vip"));
        Assert.Equal("+14155550100", values("phone"));
        Assert.Null(values("tags"));
        Assert.Null(values("none"));
    }

    private static Func<string, string?> Lookup(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
}
