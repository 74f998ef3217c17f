using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmsRemarketing.Data.Clients;

namespace SmsRemarketing.Data.Idempotency;

/// <summary>
/// The first successful answer to a request sent with an <c>Idempotency-Key</c> header, written in the same
/// transaction as the request's effects: a retry with the same key and body gets this answer and changes nothing;
/// a retry with the same key and another body is refused. Kept for a day (the Api ignores older rows).
/// </summary>
public sealed class IdempotencyRecord
{
    public Guid ClientId { get; set; }
    public Client? Client { get; set; }

    /// <summary>The caller's key, unique per client.</summary>
    public required string Key { get; set; }

    /// <summary>SHA-256 of the request (route and normalised body), to tell a retry from a different request.</summary>
    public required byte[] RequestHash { get; set; }

    public int StatusCode { get; set; }

    /// <summary>The JSON response body as first sent.</summary>
    public required string Response { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_keys");
        builder.HasKey(r => new { r.ClientId, r.Key });
        builder.Property(r => r.Key).HasMaxLength(255);
        builder.Property(r => r.Response).HasColumnType("jsonb");
        builder.HasOne(r => r.Client).WithMany().HasForeignKey(r => r.ClientId).OnDelete(DeleteBehavior.Cascade);
        // Housekeeping deletes expired keys by age.
        builder.HasIndex(r => r.CreatedAt);
    }
}
