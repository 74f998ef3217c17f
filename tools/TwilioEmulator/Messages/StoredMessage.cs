using System.Globalization;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.TwilioEmulator.Messages;

/// <summary>An accepted message: what was received (immutable) plus its delivery state (advanced by the simulator).</summary>
internal sealed class StoredMessage
{
    private const decimal PricePerSegment = 0.0079m;

    private readonly Lock _gate = new();
    private string _status;
    private string? _from;
    private bool _senderAssigned;
    private DateTimeOffset _dateUpdated;
    private DateTimeOffset? _dateSent;
    private int? _errorCode;
    private string? _errorMessage;

    public StoredMessage(string initialStatus, string? from, DateTimeOffset receivedAt)
    {
        _status = initialStatus;
        _from = from;
        _senderAssigned = from is not null;
        _dateUpdated = receivedAt;
        ReceivedAt = receivedAt;
    }

    public required long Sequence { get; init; }

    public required string Sid { get; init; }

    public required string AccountSid { get; init; }

    public required string To { get; init; }

    public string? MessagingServiceSid { get; init; }

    public string? Body { get; init; }

    public int NumMedia { get; init; }

    public required int Segments { get; init; }

    /// <summary>The raw StatusCallback string: callbacks are signed over exactly these characters.</summary>
    public string? StatusCallback { get; init; }

    /// <summary>Every form field as received, repeated keys kept.</summary>
    public required IReadOnlyDictionary<string, string[]> Form { get; init; }

    /// <summary>The Basic user that created it: the AccountSid or an API key SID.</summary>
    public required string AuthUsername { get; init; }

    public DateTimeOffset ReceivedAt { get; }

    public string Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    public string? From
    {
        get
        {
            lock (_gate)
            {
                return _from;
            }
        }
    }

    public DateTimeOffset? DateSent
    {
        get
        {
            lock (_gate)
            {
                return _dateSent;
            }
        }
    }

    /// <summary><c>assignedFrom</c> is the messaging service's number, used when the request named no From.</summary>
    public void Advance(string status, DateTimeOffset now, string assignedFrom, int? errorCode = null, string? errorMessage = null)
    {
        lock (_gate)
        {
            _status = status;
            _dateUpdated = now;
            if (status is "sending" or "sent")
            {
                // A messaging service picks the sender when the message leaves the queue; only then are segments known.
                _from ??= assignedFrom;
                _senderAssigned = true;
            }

            if (status == "sent")
            {
                _dateSent = now;
            }

            if (errorCode is not null)
            {
                _errorCode = errorCode;
                _errorMessage = errorMessage;
            }
        }
    }

    public MessageResource ToResource()
    {
        lock (_gate)
        {
            var uri = $"/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}";
            return new MessageResource(
                AccountSid: AccountSid,
                ApiVersion: "2010-04-01",
                Body: Body,
                DateCreated: Rfc2822Date.Format(ReceivedAt),
                DateSent: _dateSent is { } sent ? Rfc2822Date.Format(sent) : null,
                DateUpdated: Rfc2822Date.Format(_dateUpdated),
                Direction: "outbound-api",
                ErrorCode: _errorCode,
                ErrorMessage: _errorMessage,
                From: _from,
                MessagingServiceSid: MessagingServiceSid,
                NumMedia: NumMedia.ToString(CultureInfo.InvariantCulture),
                NumSegments: (_senderAssigned ? Segments : 0).ToString(CultureInfo.InvariantCulture),
                Price: _dateSent is null ? null : (-PricePerSegment * Segments).ToString("0.00000", CultureInfo.InvariantCulture),
                PriceUnit: "USD",
                Sid: Sid,
                Status: _status,
                SubresourceUris: new Dictionary<string, string>
                {
                    ["media"] = $"{uri}/Media.json",
                    ["feedback"] = $"{uri}/Feedback.json",
                },
                To: To,
                Uri: $"{uri}.json");
        }
    }
}
