using SmsRemarketing.Data.Campaigns;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Data.Audiences;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Credits;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Data.Outbox;
using SmsRemarketing.Data.Pricing;
using SmsRemarketing.Data.Templates;
using SmsRemarketing.Data.Triggers;

namespace SmsRemarketing.Data;

/// <summary>
/// The one database of the service. Add a migration with
/// <c>dotnet ef migrations add NAME --project src/Data</c> (the tool is pinned in <c>.config/dotnet-tools.json</c>;
/// run <c>dotnet tool restore</c> once).
/// </summary>
public sealed class SmsDbContext(DbContextOptions<SmsDbContext> options) : DbContext(options)
{
    public DbSet<Client> Clients => Set<Client>();
    public DbSet<CreditTransaction> CreditTransactions => Set<CreditTransaction>();
    public DbSet<Lead> Leads => Set<Lead>();
    public DbSet<Template> Templates => Set<Template>();
    public DbSet<Segment> Segments => Set<Segment>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<Trigger> Triggers => Set<Trigger>();
    public DbSet<TriggerFiring> TriggerFirings => Set<TriggerFiring>();
    public DbSet<SweepRun> SweepRuns => Set<SweepRun>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<OutboxDeadLetter> OutboxDeadLetters => Set<OutboxDeadLetter>();
    public DbSet<DestinationPrice> DestinationPrices => Set<DestinationPrice>();
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<CampaignRecipient> CampaignRecipients => Set<CampaignRecipient>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SmsDbContext).Assembly);
}
