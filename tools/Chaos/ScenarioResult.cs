using System.Globalization;

namespace SmsRemarketing.Chaos;

/// <summary>One scenario's counts and every broken promise found, in words.</summary>
internal sealed record ScenarioResult(
    string Name, int Accepted, int Sent, int Failed, int Suppressed, int Duplicates, int Lost, IReadOnlyList<string> Violations, TimeSpan Duration)
{
    /// <summary>The campaign's share of the counts (its messages are also in the totals).</summary>
    public CampaignCounts? Campaign { get; init; }

    public bool Passed => Duplicates == 0 && Lost == 0 && Violations.Count == 0;

    /// <summary>The line issue 10 asks for, parsed by scripts and CI, and the campaign's counts after it.</summary>
    public string Line => string.Create(CultureInfo.InvariantCulture,
        $"scenario={Name} accepted={Accepted} sent={Sent} failed={Failed} suppressed={Suppressed} duplicates={Duplicates} lost={Lost}") +
        (Campaign is { } campaign
            ? string.Create(CultureInfo.InvariantCulture, $" campaign_recipients={campaign.Recipients} campaign_messages={campaign.Messages} campaign_sent={campaign.Sent}")
            : "");
}

/// <summary>A scenario's campaign: its frozen recipients, its messages, those sent, and its account in words.</summary>
internal sealed record CampaignCounts(int Recipients, int Messages, int Sent, string Summary);
