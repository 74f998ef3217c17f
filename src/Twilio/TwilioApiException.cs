namespace SmsRemarketing.Twilio;

/// <summary>
/// An unexpected answer to a read (fetch or list): auth failure, 5xx, unreadable body. Reads are idempotent, so
/// throwing is fine here; sends never throw for Twilio's answers, they return a <see cref="TwilioSendResult"/>.
/// </summary>
public sealed class TwilioApiException : Exception
{
    public TwilioApiException()
    {
    }

    public TwilioApiException(string message)
        : base(message)
    {
    }

    public TwilioApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TwilioApiException(int httpStatus, TwilioApiError? error)
        : base(error is null ? $"Twilio answered HTTP {httpStatus}." : $"Twilio answered HTTP {httpStatus}, code {error.Code}: {error.Message}")
    {
        HttpStatus = httpStatus;
        Error = error;
    }

    public int HttpStatus { get; }

    public TwilioApiError? Error { get; }
}
