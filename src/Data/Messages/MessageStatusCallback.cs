using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SmsRemarketing.Data.Messages;

/// <summary>
/// A status callback as Twilio posted it, kept by SID when no message has that SID yet: Twilio can call back before
/// the Dispatcher has recorded the SID it was given, and does not retry an answered callback. When a message gets its
/// SID, the database applies the furthest status stored for it (see <c>StatusCallbackSql</c> in the Domain).
/// </summary>
public sealed class MessageStatusCallback
{
    public long Id { get; set; }
    public required string TwilioSid { get; set; }

    /// <summary>Twilio's <c>MessageStatus</c>, mapped to ours (<c>sending</c>, <c>sent</c>, <c>delivered</c>, …).</summary>
    public required string Status { get; set; }
    public int? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
    public DateTimeOffset ReceivedAt { get; set; } = DateTimeOffset.UtcNow;
}

internal sealed class MessageStatusCallbackConfiguration : IEntityTypeConfiguration<MessageStatusCallback>
{
    public void Configure(EntityTypeBuilder<MessageStatusCallback> builder)
    {
        builder.Property(c => c.TwilioSid).HasMaxLength(34);
        builder.Property(c => c.Status).HasMaxLength(16);
        builder.Property(c => c.ErrorMessage).HasMaxLength(1000);
        builder.Property(c => c.ReceivedAt).HasDefaultValueSql("now()");
        // A status is stored once per SID: a duplicate callback adds nothing.
        builder.HasIndex(c => new { c.TwilioSid, c.Status }).IsUnique();
        builder.ToTable("message_status_callbacks", t => t.HasCheckConstraint("ck_message_status_callbacks_status",
            "status IN ('sending', 'sent', 'delivered', 'undelivered', 'failed')"));
    }
}
