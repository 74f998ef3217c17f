namespace SmsRemarketing.Data.Credits;

public enum CreditTransactionKind
{
    Purchase,
    SmsDebit,
    Refund,
    Adjustment,
}
