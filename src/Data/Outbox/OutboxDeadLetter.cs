using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SmsRemarketing.Data.Outbox;

/// <summary>An outbox row the relay could not publish (unknown type, malformed JSON), moved aside with the reason.</summary>
public sealed class OutboxDeadLetter
{
    public Guid Id { get; set; }
    public required string MessageType { get; set; }
    public required string Body { get; set; }
    public string? TraceParent { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset MovedAt { get; set; } = DateTimeOffset.UtcNow;
}

internal sealed class OutboxDeadLetterConfiguration : IEntityTypeConfiguration<OutboxDeadLetter>
{
    public void Configure(EntityTypeBuilder<OutboxDeadLetter> builder)
    {
        builder.ToTable("outbox_dead_letters");
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.MessageType).HasMaxLength(300);
        builder.Property(m => m.TraceParent).HasMaxLength(55);
        builder.Property(m => m.Reason).HasMaxLength(2000);
    }
}
