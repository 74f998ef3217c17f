using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmsRemarketing.Data.Clients;

namespace SmsRemarketing.Data.Audiences;

/// <summary>
/// A saved audience: the client's leads a filter selects, evaluated when it is used (counted, listed, sent to), so it
/// follows the leads as they change.
/// </summary>
public sealed class Segment
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ClientId { get; set; }
    public Client? Client { get; set; }
    public required string Name { get; set; }

    /// <summary>The checked filter as SegmentFilter writes it; read it back with SegmentFilter.FromStored.</summary>
    public JsonElement Filter { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
}

internal sealed class SegmentConfiguration : IEntityTypeConfiguration<Segment>
{
    public void Configure(EntityTypeBuilder<Segment> builder)
    {
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.Filter).HasColumnType("jsonb");
        builder.HasOne(s => s.Client).WithMany().HasForeignKey(s => s.ClientId).OnDelete(DeleteBehavior.Cascade);
        // A name picks a segment out of a list and a campaign form: one per client, like templates.
        builder.HasIndex(s => new { s.ClientId, s.Name }).IsUnique();
        // Serves "the client's segments, newest first".
        builder.HasIndex(s => new { s.ClientId, s.CreatedAt });
    }
}
