using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SmsRemarketing.Data.Pricing;

/// <summary>
/// What one SMS segment to a country costs, in credits, for every client texting it from abroad (the operator's
/// table). A client's home country is priced by the client's own plan instead (1 a message, or 1 a segment).
/// </summary>
public sealed class DestinationPrice
{
    /// <summary>ISO 3166-1 alpha-2, upper case.</summary>
    public required string Country { get; set; }

    public int CreditsPerSegment { get; set; }

    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
}

internal sealed class DestinationPriceConfiguration : IEntityTypeConfiguration<DestinationPrice>
{
    public void Configure(EntityTypeBuilder<DestinationPrice> builder)
    {
        builder.HasKey(p => p.Country);
        builder.Property(p => p.Country).HasMaxLength(2);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_destination_prices_country", "country ~ '^[A-Z]{2}$'");
            t.HasCheckConstraint("ck_destination_prices_credits_per_segment", "credits_per_segment > 0");
        });
    }
}
