namespace SmsRemarketing.Data.Messages;

/// <summary>
/// The life of one SMS attempt. Stored in snake_case. Transitions only move forward:
/// queued → sending → sent → delivered | undelivered, or → failed / suppressed.
/// </summary>
public enum MessageStatus
{
    Queued,
    Sending,
    Sent,
    Delivered,
    Undelivered,
    Failed,
    Suppressed,
}
