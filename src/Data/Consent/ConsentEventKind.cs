namespace SmsRemarketing.Data.Consent;

public enum ConsentEventKind
{
    OptOut,
    OptIn,
}
