using System.Diagnostics;

namespace SmsRemarketing.Twilio;

/// <summary>
/// The outcome of one create-message request. A closed set: <see cref="SendAccepted"/>, <see cref="SendRejected"/>,
/// <see cref="SendTransient"/>, <see cref="SendAmbiguous"/>; <see cref="Match{TResult}"/> makes callers handle all four.
/// </summary>
public abstract record TwilioSendResult
{
    // Closed hierarchy: only this assembly can add cases, so Match stays exhaustive.
    private protected TwilioSendResult()
    {
    }

    public TResult Match<TResult>(
        Func<SendAccepted, TResult> accepted,
        Func<SendRejected, TResult> rejected,
        Func<SendTransient, TResult> transient,
        Func<SendAmbiguous, TResult> ambiguous)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        ArgumentNullException.ThrowIfNull(rejected);
        ArgumentNullException.ThrowIfNull(transient);
        ArgumentNullException.ThrowIfNull(ambiguous);
        return this switch
        {
            SendAccepted a => accepted(a),
            SendRejected r => rejected(r),
            SendTransient t => transient(t),
            SendAmbiguous u => ambiguous(u),
            _ => throw new UnreachableException(),
        };
    }
}
