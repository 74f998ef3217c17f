using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Data.Templates;
using SmsRemarketing.Data.Triggers;

namespace SmsRemarketing.Data.Messages;

/// <summary>One SMS attempt to one lead, with the body as rendered at queue time and Twilio's outcome.</summary>
public sealed class Message
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ClientId { get; set; }
    public Client? Client { get; set; }
    public Guid LeadId { get; set; }
    public Lead? Lead { get; set; }
    public Guid? TemplateId { get; set; }
    public Template? Template { get; set; }
    public Guid? TriggerId { get; set; }
    public Trigger? Trigger { get; set; }

    /// <summary>The campaign it is one recipient's message of: paid from the campaign's reserved credits, sent in the campaign lane.</summary>
    public Guid? CampaignId { get; set; }
    public MessageSource Source { get; set; }

    public required string ToPhone { get; set; }
    public string? FromPhone { get; set; }
    public required string Body { get; set; }
    public int Segments { get; set; }

    /// <summary>
    /// Credits this message costs when sent: 1, or <see cref="Segments"/> for a client that pays per segment. Fixed
    /// at queue time, so a later change of the client's setting does not reprice queued messages.
    /// </summary>
    public int CreditCost { get; set; } = 1;

    /// <summary>
    /// Kept, so every step that could send it (release, claim, take-over) applies the rules of its category, as the
    /// client allows it then (<c>SendingPolicy.RulesFor</c>).
    /// </summary>
    public MessageCategory Category { get; set; } = MessageCategory.Marketing;

    public MessageStatus Status { get; set; } = MessageStatus.Queued;
    public string? TwilioSid { get; set; }
    public int? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }

    /// <summary>Requests made to Twilio for this message (retries of transient failures included).</summary>
    public int Attempts { get; set; }

    /// <summary>
    /// When the latest request to Twilio began. A message left in <c>sending</c> past a timeout had an
    /// ambiguous outcome and is reconciled against Twilio before anything is resent.
    /// </summary>
    public DateTimeOffset? LastAttemptAt { get; set; }

    /// <summary>For a <c>scheduled</c> message, the earliest instant it may be released to the Dispatcher.</summary>
    public DateTimeOffset? SendAfter { get; set; }

    /// <summary>
    /// When the message became <c>queued</c>: its creation, or its release from <c>scheduled</c>. The frequency cap
    /// counts messages by this instant, so a message deferred for a day counts when it goes out, not when it was asked for.
    /// </summary>
    public DateTimeOffset? QueuedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.Property(m => m.Source).HasConversion(SnakeCaseEnumConverter.For<MessageSource>()).HasMaxLength(16);
        builder.Property(m => m.Status).HasConversion(SnakeCaseEnumConverter.For<MessageStatus>()).HasMaxLength(16);
        builder.Property(m => m.Category).HasConversion(SnakeCaseEnumConverter.For<MessageCategory>()).HasMaxLength(16);
        builder.Property(m => m.ToPhone).HasMaxLength(16);
        builder.Property(m => m.FromPhone).HasMaxLength(34);
        builder.Property(m => m.TwilioSid).HasMaxLength(34);
        builder.Property(m => m.ErrorMessage).HasMaxLength(1000);
        builder.HasOne(m => m.Client).WithMany().HasForeignKey(m => m.ClientId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(m => m.Lead).WithMany().HasForeignKey(m => m.LeadId).OnDelete(DeleteBehavior.Cascade);
        // A message is history: deleting its template or trigger keeps the message (it has its rendered body).
        builder.HasOne(m => m.Template).WithMany().HasForeignKey(m => m.TemplateId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(m => m.Trigger).WithMany().HasForeignKey(m => m.TriggerId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(m => new { m.ClientId, m.CreatedAt });
        // GET /messages?status=: a client's messages of one status, newest first, without walking the others. Partial:
        // the statuses every message passes through (queued, sending) or mostly ends in (delivered) are left out, so a
        // send adds about one entry, not one per step; so is scheduled, which a campaign writes 100,000 at a time (make
        // bench: +1.7 s of its schedule). Those are dense where they matter, and the index above finds a page of them fast.
        builder.HasIndex(m => new { m.ClientId, m.Status, m.CreatedAt, m.Id })
            .HasFilter("status NOT IN ('scheduled', 'queued', 'sending', 'delivered')").HasDatabaseName("ix_messages_client_status");
        // The reconciler's scan: messages stuck in 'sending'.
        builder.HasIndex(m => m.LastAttemptAt).HasFilter("status = 'sending'");
        builder.HasIndex(m => m.LeadId);
        // The releaser's scan: deferred messages in the order they fall due (a campaign's are released by its own pass).
        builder.HasIndex(m => m.SendAfter).HasFilter("status = 'scheduled' AND campaign_id IS NULL");
        // The re-driver's scan and the oldest-queued gauge: messages left queued, by when they were last (re-)driven.
        builder.HasIndex(m => m.UpdatedAt).HasFilter("status = 'queued'");
        // For ON DELETE SET NULL of a template or trigger. Partial: a send without one (most manual sends) costs no entry.
        builder.HasIndex(m => m.TemplateId).HasFilter("template_id IS NOT NULL");
        builder.HasIndex(m => m.TriggerId).HasFilter("trigger_id IS NOT NULL");
        // One message per (campaign, lead), whatever crashes, redeliveries or replicas; also the campaign's progress scan.
        builder.HasIndex(m => new { m.CampaignId, m.LeadId }).IsUnique().HasFilter("campaign_id IS NOT NULL");
        // A campaign's release pass (its scheduled messages, in the order they fall due) and its lane's backlog (its
        // queued and sending ones): together, whether it has anything left to send.
        builder.HasIndex(m => new { m.CampaignId, m.SendAfter }).HasFilter("campaign_id IS NOT NULL AND status = 'scheduled'")
            .HasDatabaseName("ix_messages_campaign_scheduled");
        builder.HasIndex(m => m.CampaignId).HasFilter("campaign_id IS NOT NULL AND status IN ('queued', 'sending')")
            .HasDatabaseName("ix_messages_campaign_in_flight");
        builder.HasOne<Campaigns.Campaign>().WithMany().HasForeignKey(m => m.CampaignId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(m => m.TwilioSid).IsUnique().HasFilter("twilio_sid IS NOT NULL");
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_messages_status",
                "status IN ('scheduled', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'suppressed', 'skipped', 'canceled')");
            t.HasCheckConstraint("ck_messages_scheduled_send_after", "status <> 'scheduled' OR send_after IS NOT NULL");
            t.HasCheckConstraint("ck_messages_credit_cost", "credit_cost >= 1");
            t.HasCheckConstraint("ck_messages_source", "source IN ('manual', 'new_lead', 'lead_age', 'webhook', 'confirmation', 'campaign')");
            t.HasCheckConstraint("ck_messages_category", MessageCategories.CheckSql("category"));
        });
    }
}
