using SmsRemarketing.Data;
using SmsRemarketing.Data.Campaigns;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.Domain.Campaigns;

/// <summary>The sums of a campaign's plans: what the estimate answers and the schedule reserves.</summary>
public sealed class CampaignTally
{
    private readonly Dictionary<CampaignExclusion, int> _excluded = Enum.GetValues<CampaignExclusion>().ToDictionary(e => e, _ => 0);

    /// <summary>Leads that get a message.</summary>
    public int Recipients { get; private set; }
    public long Segments { get; private set; }
    public long Credits { get; private set; }
    public int Gsm7 { get; private set; }
    public int Ucs2 { get; private set; }

    /// <summary>Leads left out, by reason (every reason present, 0 when none), keyed by its snake_case name.</summary>
    public IReadOnlyDictionary<string, int> Excluded => _excluded.ToDictionary(e => SnakeCaseEnumConverter.ToSnakeCase(e.Key), e => e.Value);

    public void Add(CampaignRecipientPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Excluded is { } why)
        {
            _excluded[why]++;
            return;
        }

        Recipients++;
        Segments += plan.Segments;
        Credits += plan.CreditCost;
        if (plan.Encoding == SmsEncoding.Ucs2)
        {
            Ucs2++;
        }
        else
        {
            Gsm7++;
        }
    }
}
