using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmsRemarketing.Data.Leads;

namespace SmsRemarketing.Data.Campaigns;

/// <summary>
/// One lead of a campaign's audience as frozen when it was scheduled, with why it gets no message, or none (then its
/// message is the campaign's one to the lead: <c>messages (campaign_id, lead_id)</c> is unique). So "who got campaign
/// X, and why (not)" is answered from here long after the segment changed.
/// </summary>
public sealed class CampaignRecipient
{
    public Guid CampaignId { get; set; }
    public Guid LeadId { get; set; }
    public required string Phone { get; set; }
    public CampaignExclusion? Excluded { get; set; }
    public string? ExclusionDetail { get; set; }
}

internal sealed class CampaignRecipientConfiguration : IEntityTypeConfiguration<CampaignRecipient>
{
    public void Configure(EntityTypeBuilder<CampaignRecipient> builder)
    {
        builder.ToTable("campaign_recipients");
        builder.HasKey(r => new { r.CampaignId, r.LeadId });
        builder.Property(r => r.Phone).HasMaxLength(16);
        builder.Property(r => r.Excluded).HasConversion(SnakeCaseEnumConverter.For<CampaignExclusion>()).HasMaxLength(32);
        builder.Property(r => r.ExclusionDetail).HasMaxLength(500);
        builder.HasOne<Campaign>().WithMany().HasForeignKey(r => r.CampaignId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Lead>().WithMany().HasForeignKey(r => r.LeadId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => r.LeadId);
    }
}
