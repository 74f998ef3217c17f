using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SmsRemarketing.Data.Audiences;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Data.Templates;

namespace SmsRemarketing.Data.Campaigns;

/// <summary>
/// One send of a template or body to an audience (a segment, or a list of leads, less excluded segments), at an
/// instant or at a local time in each recipient's zone, paid from credits reserved when it is scheduled.
/// </summary>
public sealed class Campaign
{
    /// <summary>The most leads a campaign may name directly.</summary>
    public const int MaxLeadIds = 10_000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ClientId { get; set; }
    public Client? Client { get; set; }
    public required string Name { get; set; }
    public CampaignStatus Status { get; set; } = CampaignStatus.Draft;

    public Guid? SegmentId { get; set; }
    public List<Guid>? LeadIds { get; set; }
    public List<Guid> ExcludeSegmentIds { get; set; } = [];

    public Guid? TemplateId { get; set; }
    public Template? Template { get; set; }
    public string? Body { get; set; }
    public Dictionary<string, string?>? Variables { get; set; }
    public MessageCategory Category { get; set; } = MessageCategory.Marketing;

    /// <summary>One instant for everyone; or null, and <see cref="LocalTime"/> on <see cref="SendDate"/> in each recipient's zone.</summary>
    public DateTimeOffset? SendAt { get; set; }
    public TimeOnly? LocalTime { get; set; }
    public DateOnly? SendDate { get; set; }
    public WhenLocalTimePassed WhenLocalTimePassed { get; set; } = WhenLocalTimePassed.NextDay;

    /// <summary>The most of its messages released to the Dispatcher in any minute; null: as fast as they come due.</summary>
    public int? ThrottlePerMinute { get; set; }

    /// <summary>Frozen at schedule: the leads that get a message.</summary>
    public int Recipients { get; set; }

    /// <summary>What was reserved at schedule (the exact cost of its messages); the ledger holds every movement.</summary>
    public long CreditsReserved { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? ScheduledAt { get; set; }

    /// <summary>When its first message was released (it became <c>sending</c>).</summary>
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? PausedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public DateTimeOffset? CanceledAt { get; set; }

    /// <summary>When, completed or canceled with nothing left to send, its last unspent credits were released: its account is closed.</summary>
    public DateTimeOffset? SettledAt { get; set; }

    /// <summary>The minute <see cref="ReleasedInWindow"/> counts the released messages of, for <see cref="ThrottlePerMinute"/>.</summary>
    public DateTimeOffset? ThrottleWindow { get; set; }
    public int ReleasedInWindow { get; set; }
}

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.Property(c => c.Status).HasConversion(SnakeCaseEnumConverter.For<CampaignStatus>()).HasMaxLength(16);
        builder.Property(c => c.Category).HasConversion(SnakeCaseEnumConverter.For<MessageCategory>()).HasMaxLength(16);
        builder.Property(c => c.WhenLocalTimePassed).HasConversion(SnakeCaseEnumConverter.For<WhenLocalTimePassed>()).HasMaxLength(16);
        builder.Property(c => c.Body).HasMaxLength(1600);
        builder.Property(c => c.Variables).HasColumnType("jsonb").HasConversion(
            new ValueConverter<Dictionary<string, string?>?, string?>(
                variables => variables == null ? null : JsonSerializer.Serialize(variables, JsonSerializerOptions.Default),
                json => json == null ? null : JsonSerializer.Deserialize<Dictionary<string, string?>>(json, JsonSerializerOptions.Default)),
            new ValueComparer<Dictionary<string, string?>?>(
                (a, b) => a == null ? b == null : b != null && a.Count == b.Count && !a.Except(b).Any(),
                variables => variables == null ? 0 : variables.Count,
                variables => variables == null ? null : new Dictionary<string, string?>(variables)));
        builder.HasOne(c => c.Client).WithMany().HasForeignKey(c => c.ClientId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(c => c.Template).WithMany().HasForeignKey(c => c.TemplateId).OnDelete(DeleteBehavior.SetNull);
        // A scheduled campaign's audience is frozen in its recipients: deleting its segment keeps the campaign.
        builder.HasOne<Segment>().WithMany().HasForeignKey(c => c.SegmentId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(c => new { c.ClientId, c.CreatedAt });
        // The Scheduler's passes: campaigns with messages to release, or an account to close.
        builder.HasIndex(c => c.Status).HasFilter("settled_at IS NULL AND status IN ('scheduled', 'sending', 'completed', 'canceled')");
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_campaigns_status", "status IN ('draft', 'scheduled', 'sending', 'paused', 'completed', 'canceled')");
            t.HasCheckConstraint("ck_campaigns_when_local_time_passed", "when_local_time_passed IN ('next_day', 'skip')");
            t.HasCheckConstraint("ck_campaigns_category", MessageCategories.CheckSql("category"));
            t.HasCheckConstraint("ck_campaigns_audience", "segment_id IS NOT NULL OR lead_ids IS NOT NULL");
            t.HasCheckConstraint("ck_campaigns_when", "send_at IS NULL OR (local_time IS NULL AND send_date IS NULL)");
            t.HasCheckConstraint("ck_campaigns_throttle", "throttle_per_minute IS NULL OR throttle_per_minute >= 1");
            t.HasCheckConstraint("ck_campaigns_lead_ids", $"lead_ids IS NULL OR cardinality(lead_ids) <= {Campaign.MaxLeadIds}");
        });
    }
}
