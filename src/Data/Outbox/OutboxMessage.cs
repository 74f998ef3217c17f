using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SmsRemarketing.Data.Outbox;

/// <summary>
/// An event written in the same transaction as the state it describes, published to RabbitMQ by the relay
/// after commit. <see cref="Id"/> becomes the published MassTransit MessageId, so consumers can deduplicate.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>Publication order; assigned by the database.</summary>
    public long Sequence { get; set; }

    /// <summary>Full CLR name of the contract, e.g. <c>SmsRemarketing.Contracts.SendSmsRequested</c>.</summary>
    public required string MessageType { get; set; }

    /// <summary>The message as JSON, kept as text so a malformed row can be seen exactly as written.</summary>
    public required string Body { get; set; }

    /// <summary>W3C trace context of the writer, restored when publishing so the trace continues.</summary>
    public string? TraceParent { get; set; }
    public string? TraceState { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? PublishedAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("outbox_messages");
        builder.Property(m => m.Sequence).UseIdentityAlwaysColumn();
        builder.Property(m => m.MessageType).HasMaxLength(300);
        builder.Property(m => m.TraceParent).HasMaxLength(55);
        builder.Property(m => m.TraceState).HasMaxLength(512);
        builder.Property(m => m.LastError).HasMaxLength(2000);
        // The relay only ever scans pending rows; the partial index stays small however many are published.
        builder.HasIndex(m => m.Sequence).HasDatabaseName("ix_outbox_messages_pending").HasFilter("published_at IS NULL");
        builder.HasIndex(m => m.PublishedAt).HasFilter("published_at IS NOT NULL");
    }
}
