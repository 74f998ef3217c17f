namespace SmsRemarketing.Domain.Messages;

/// <summary>Why a message was not queued. Expected outcomes of a send, not faults.</summary>
public enum MessageRejection
{
    ClientInactive,
    NoCredit,
    OptedOut,

    /// <summary>The template uses variables that have neither a value nor a default.</summary>
    MissingVariables,

    /// <summary>The template body does not parse (it was saved before validation, or edited in the database).</summary>
    InvalidTemplate,
    EmptyBody,
    BodyTooLong,

    /// <summary>The body renders to more segments than the client allows.</summary>
    TooManySegments,

    /// <summary>A manual send outside the client's sending window, without the override.</summary>
    OutsideSendingWindow,

    /// <summary>An automated send over the frequency cap, recorded as <c>skipped</c> (the client's cap action is skip).</summary>
    FrequencyCapped,

    /// <summary>The client may not text the number: its country, its type, or a country without a price (<see cref="QueueResult.Rule"/>).</summary>
    DestinationRefused,

    /// <summary>A daily cap of the client (messages or credits) is reached; <see cref="QueueResult.RetryAt"/> is when it resets.</summary>
    DailyCapReached,

    /// <summary>The lead or template belongs to another client.</summary>
    WrongClient,
}
