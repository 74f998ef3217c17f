using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Leads;

namespace SmsRemarketing.Data.Inbound;

/// <summary>
/// An SMS a lead sent to a client's number, as Twilio's inbound webhook delivered it. The client or lead is null
/// when the number or the sender is not known.
/// </summary>
public sealed class InboundMessage
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>Twilio's <c>MessageSid</c> (SM…/MM…).</summary>
    public required string TwilioSid { get; set; }
    public Guid? ClientId { get; set; }
    public Client? Client { get; set; }
    public Guid? LeadId { get; set; }
    public Lead? Lead { get; set; }
    public required string FromPhone { get; set; }
    public required string ToPhone { get; set; }
    public string Body { get; set; } = "";

    /// <summary><c>opt_out</c>, <c>opt_in</c> or <c>help</c> when the body was one of those keywords.</summary>
    public string? Keyword { get; set; }

    /// <summary>
    /// The body reads like an opt-out without being a keyword ("please stop texting me"): flagged for the client, and
    /// an opt-out when the client opts those out (<see cref="Client.OptOutOnPossibleOptOut"/>).
    /// </summary>
    public bool PossibleOptOut { get; set; }

    public DateTimeOffset ReceivedAt { get; set; } = DateTimeOffset.UtcNow;
}

internal sealed class InboundMessageConfiguration : IEntityTypeConfiguration<InboundMessage>
{
    public void Configure(EntityTypeBuilder<InboundMessage> builder)
    {
        builder.Property(m => m.TwilioSid).HasMaxLength(34);
        builder.Property(m => m.FromPhone).HasMaxLength(64);
        builder.Property(m => m.ToPhone).HasMaxLength(64);
        builder.Property(m => m.Body).HasMaxLength(1600);
        builder.Property(m => m.Keyword).HasMaxLength(16);
        // Client and lead deletion keep the text (it can be the proof of an opt-out), unlinked.
        builder.HasOne(m => m.Client).WithMany().HasForeignKey(m => m.ClientId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(m => m.Lead).WithMany().HasForeignKey(m => m.LeadId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(m => m.TwilioSid);
        builder.HasIndex(m => new { m.LeadId, m.ReceivedAt });
        builder.HasIndex(m => new { m.ClientId, m.ReceivedAt });
        builder.ToTable("inbound_messages", t => t.HasCheckConstraint("ck_inbound_messages_keyword", "keyword IS NULL OR keyword IN ('opt_out', 'opt_in', 'help')"));
    }
}
