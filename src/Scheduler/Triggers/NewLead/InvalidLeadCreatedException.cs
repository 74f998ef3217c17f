namespace SmsRemarketing.Scheduler.Triggers.NewLead;

/// <summary>
/// A LeadCreated that can never be handled (unknown client, bad phone, bad fields). Not retried: the message
/// faults into the endpoint's <c>_error</c> queue with this reason, and the consumer goes on with the next one.
/// </summary>
public sealed class InvalidLeadCreatedException : Exception
{
    public InvalidLeadCreatedException()
    {
    }

    public InvalidLeadCreatedException(string message) : base(message)
    {
    }

    public InvalidLeadCreatedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
