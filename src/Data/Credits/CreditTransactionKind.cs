namespace SmsRemarketing.Data.Credits;

public enum CreditTransactionKind
{
    Purchase,
    SmsDebit,
    Refund,
    Adjustment,

    /// <summary>Credits held for a campaign when it is scheduled (negative: what the client may spend on anything else drops). The balance is unchanged.</summary>
    Reserve,

    /// <summary>What a campaign held and did not spend, given back (positive) when it completes or is canceled. The balance is unchanged.</summary>
    Release,
}
