using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Data.Templates;

namespace SmsRemarketing.Data.Triggers;

/// <summary>An automation rule: when its event happens for a lead, send the template to that lead.</summary>
public sealed class Trigger
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ClientId { get; set; }
    public Client? Client { get; set; }
    public required string Name { get; set; }
    public TriggerType Type { get; set; }
    public Guid TemplateId { get; set; }
    public Template? Template { get; set; }

    /// <summary>For <see cref="TriggerType.LeadAge"/>: fire this many days after the lead was created.</summary>
    public int? Days { get; set; }

    /// <summary>
    /// The category of the messages it queues: its own, not read through its template at each firing, so that
    /// editing a template never changes what an automation sends under. Set from the template when the trigger is
    /// created without one.
    /// </summary>
    public MessageCategory Category { get; set; } = MessageCategory.Marketing;

    public bool IsActive { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
}

internal sealed class TriggerConfiguration : IEntityTypeConfiguration<Trigger>
{
    public void Configure(EntityTypeBuilder<Trigger> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(200);
        builder.Property(t => t.Type).HasConversion(SnakeCaseEnumConverter.For<TriggerType>()).HasMaxLength(16);
        builder.Property(t => t.Category).HasConversion(SnakeCaseEnumConverter.For<MessageCategory>()).HasMaxLength(16);
        builder.HasOne(t => t.Client).WithMany().HasForeignKey(t => t.ClientId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(t => t.Template).WithMany().HasForeignKey(t => t.TemplateId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => new { t.ClientId, t.Type, t.IsActive });
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_triggers_type", "type IN ('new_lead', 'lead_age', 'webhook')");
            t.HasCheckConstraint("ck_triggers_lead_age_days", "(type = 'lead_age') = (days IS NOT NULL) AND (days IS NULL OR days >= 1)");
            t.HasCheckConstraint("ck_triggers_category", MessageCategories.CheckSql("category"));
        });
    }
}
