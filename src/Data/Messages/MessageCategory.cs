namespace SmsRemarketing.Data.Messages;

/// <summary>
/// What kind of SMS a message is, which decides the rules it goes under: quiet hours and the frequency cap apply to
/// <see cref="Marketing"/> only. Opt-outs, credit and an inactive client apply to every category. The operator
/// decides per client which categories it may use (<c>clients.allowed_categories</c>); a message of a category the
/// client may no longer use is sent as marketing.
/// </summary>
public enum MessageCategory
{
    Marketing,

    /// <summary>What the recipient asked for or must get (an appointment reminder, a receipt, a one-time code).</summary>
    Transactional,

    /// <summary>A reply in a conversation the recipient started.</summary>
    Conversational,
}
