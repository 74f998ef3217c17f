namespace SmsRemarketing.Domain.Messages;

/// <summary>Why a message was not queued. Expected outcomes of a send, not faults.</summary>
public enum MessageRejection
{
    ClientInactive,
    NoCredit,
    OptedOut,

    /// <summary>Double opt-in: the lead has not confirmed yet; recorded as <c>suppressed</c>.</summary>
    AwaitingConfirmation,

    /// <summary>The template uses variables that have neither a value nor a default.</summary>
    MissingVariables,

    /// <summary>The template body does not parse (it was saved before validation, or edited in the database).</summary>
    InvalidTemplate,
    EmptyBody,
    BodyTooLong,

    /// <summary>The body renders to more segments than the client allows.</summary>
    TooManySegments,

    /// <summary>A manual marketing send outside the client's sending window.</summary>
    OutsideSendingWindow,

    /// <summary>An automated send over the frequency cap, recorded as <c>skipped</c> (the client's cap action is skip).</summary>
    FrequencyCapped,

    /// <summary>A manual send of a category the client may not use (an automated one goes as marketing instead).</summary>
    CategoryNotAllowed,
    /// <summary>The client may not text the number: its country, its type, or a country without a price (<see cref="QueueResult.Rule"/>).</summary>
    DestinationRefused,

    /// <summary>A daily cap of the client (messages or credits) is reached; <see cref="QueueResult.RetryAt"/> is when it resets.</summary>
    DailyCapReached,

    /// <summary>The lead or template belongs to another client.</summary>
    WrongClient,
}
