using SmsRemarketing.Domain.Consent;

namespace SmsRemarketing.Domain.Tests.Consent;

/// <summary>How an inbound SMS is read: keyword families by language, the client's own, and opt-outs in other words.</summary>
public sealed class ConsentKeywordsTests
{
    private static readonly string[] SpanishAndFrench = ["es", "fr"];
    private static readonly Dictionary<string, List<string>> NoCustom = [];

    [Theory]
    [InlineData("STOP", "opt_out")]
    [InlineData(" stop.\n", "opt_out")]
    [InlineData("S TOP", "opt_out")]
    [InlineData("Parar", "opt_out")]
    [InlineData("BAJA", "opt_out")]
    [InlineData("Arrêt !", "opt_out")]
    [InlineData("désabonner", "opt_out")]
    [InlineData("Sí", "opt_in")]
    [InlineData("oui", "opt_in")]
    [InlineData("Unstop", "opt_in")]
    [InlineData("Ayuda", "help")]
    [InlineData("aide", "help")]
    [InlineData("STOP PLEASE", null)]
    [InlineData("please stop texting me", null)]
    [InlineData("", null)]
    public void TheWholeMessageIsReadWithoutCaseAccentsOrPunctuation(string body, string? expected) =>
        Assert.Equal(expected, ConsentKeywords.Classify(body, SpanishAndFrench, NoCustom));

    [Fact]
    public void ALanguageTheClientTurnedOffIsNotReadButEnglishAlwaysIs()
    {
        Assert.Null(ConsentKeywords.Classify("Parar", [], NoCustom));
        Assert.Equal("opt_out", ConsentKeywords.Classify("stop", [], NoCustom));
    }

    [Fact]
    public void TheClientsOwnKeywordsAreReadAndAnOptOutWinsOverOtherReadings()
    {
        var custom = new Dictionary<string, List<string>> { ["opt_out"] = ["BASTAYA"], ["opt_in"] = ["VOLVER"] };

        Assert.Equal("opt_out", ConsentKeywords.Classify("Basta ya!", [], custom));
        Assert.Equal("opt_in", ConsentKeywords.Classify("volver", [], custom));
        // FIN is an opt-out in both Spanish and French; nothing can make it read otherwise.
        Assert.Equal("opt_out", ConsentKeywords.Classify("fin", SpanishAndFrench, new Dictionary<string, List<string>> { ["opt_in"] = ["FIN"] }));
    }

    [Theory]
    [InlineData("Please STOP texting me!!", true)]
    [InlineData("don't text me again", true)]
    [InlineData("Wrong number", true)]
    [InlineData("No me envíen más mensajes", true)]
    [InlineData("Ne m'envoyez plus de messages", true)]
    [InlineData("See you at the store on Monday", false)]
    [InlineData("Stopwatch sale?", false)]
    public void AnOptOutInOtherWordsIsRecognisedAsWholeWords(string body, bool expected) =>
        Assert.Equal(expected, ConsentKeywords.IsPossibleOptOut(body));
}
