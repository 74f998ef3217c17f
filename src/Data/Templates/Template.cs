using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Data.Templates;

/// <summary>A message text with <c>{{variable}}</c> placeholders, e.g. <c>Hi {{first_name|there}}!</c>.</summary>
public sealed class Template
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ClientId { get; set; }
    public Client? Client { get; set; }
    public required string Name { get; set; }
    public required string Body { get; set; }

    /// <summary>The category a send of this template gets unless the send or its trigger names another.</summary>
    public MessageCategory Category { get; set; } = MessageCategory.Marketing;
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
}

internal sealed class TemplateConfiguration : IEntityTypeConfiguration<Template>
{
    public void Configure(EntityTypeBuilder<Template> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(200);
        builder.Property(t => t.Body).HasMaxLength(1600);
        builder.Property(t => t.Category).HasConversion(SnakeCaseEnumConverter.For<MessageCategory>()).HasMaxLength(16);
        builder.HasOne(t => t.Client).WithMany().HasForeignKey(t => t.ClientId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => new { t.ClientId, t.Name }).IsUnique();
        builder.ToTable(t => t.HasCheckConstraint("ck_templates_category", MessageCategories.CheckSql("category")));
    }
}
