namespace SmsRemarketing.Data.Consent;

public enum ConsentEventKind
{
    OptOut,
    OptIn,

    /// <summary>Double opt-in: the confirmation SMS was queued to the number.</summary>
    ConfirmationRequested,

    /// <summary>Double opt-in: the number answered the confirmation with an opt-in keyword.</summary>
    Confirmed,
}
