using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Data.Clients;

/// <summary>A business (tenant) that holds an API key and prepaid credits.</summary>
public sealed class Client
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public required string Email { get; set; }

    /// <summary>The visible start of the API key (e.g. <c>sk_AbC123xy</c>), used to find the key's row.</summary>
    public required string ApiKeyPrefix { get; set; }

    /// <summary>SHA-256 of the whole key. The key itself is shown once and never stored.</summary>
    public required byte[] ApiKeyHash { get; set; }

    public bool IsActive { get; set; } = true;

    /// <summary>IANA time zone, e.g. <c>America/New_York</c>.</summary>
    public string Timezone { get; set; } = "UTC";

    /// <summary>
    /// Maintained by the database from <c>credit_transactions</c> (a trigger adds each row's amount), so it
    /// always equals the ledger's sum; never write it directly.
    /// </summary>
    public long CreditBalance { get; private set; }

    /// <summary>
    /// The part of <see cref="CreditBalance"/> held for scheduled campaigns (reserved, less what their messages spent and
    /// what was released). Maintained by the database from the ledger like the balance; never write it. Any other send
    /// may spend only <see cref="CreditsAvailable"/>.
    /// </summary>
    public long CreditsReserved { get; private set; }

    public long CreditsAvailable => CreditBalance - CreditsReserved;

    /// <summary>The client's own sender (E.164); else the service's default sender is used.</summary>
    public string? FromNumber { get; set; }

    /// <summary>A Twilio Messaging Service (<c>MG…</c>) to send through instead of a From number.</summary>
    public string? MessagingServiceSid { get; set; }

    /// <summary>The reply to HELP/INFO; null answers <see cref="DefaultHelpText"/> with the client's name.</summary>
    public string? HelpText { get; set; }

    /// <summary>
    /// Quiet hours: when on, SMS go out only between <see cref="SendingWindowStart"/> and <see cref="SendingWindowEnd"/>
    /// in the recipient's local time. Automated sends outside are deferred to the next opening; manual ones refused.
    /// </summary>
    public bool QuietHoursEnabled { get; set; } = true;

    /// <summary>Local time the sending window opens (inclusive). A start after the end is a window across midnight.</summary>
    public TimeOnly SendingWindowStart { get; set; } = DeliverySettings.DefaultWindowStart;

    /// <summary>Local time the sending window closes (exclusive).</summary>
    public TimeOnly SendingWindowEnd { get; set; } = DeliverySettings.DefaultWindowEnd;

    /// <summary>Limits on automated SMS per lead, all of which apply; empty: no cap. Manual sends are never capped.</summary>
    public List<FrequencyCapRule> FrequencyCaps { get; set; } = DeliverySettings.DefaultFrequencyCaps();

    public FrequencyCapAction FrequencyCapAction { get; set; } = FrequencyCapAction.Defer;

    /// <summary>
    /// The message categories the operator lets this client use (never empty; marketing always among them by
    /// default). Quiet hours and the cap are exempted only for a category listed here at the moment of sending.
    /// </summary>
    public List<MessageCategory> AllowedCategories { get; set; } = MessageCategories.Default();

    /// <summary>A message rendering to more segments is refused.</summary>
    public int MaxSegments { get; set; } = DeliverySettings.MaxSegmentsLimit;

    /// <summary>When set, an SMS costs one credit per segment instead of one per attempt.</summary>
    public bool PayPerSegment { get; set; }

    /// <summary>
    /// The languages whose opt-out, opt-in and help keywords the client's numbers honour besides English, which is
    /// always on (<c>Domain.Consent.ConsentKeywords</c>).
    /// </summary>
    public List<string> KeywordLanguages { get; set; } = [.. ConsentSettings.DefaultKeywordLanguages];

    /// <summary>The client's own keywords, by what they do (<c>opt_out</c>, <c>opt_in</c>, <c>help</c>), normalised.</summary>
    public Dictionary<string, List<string>> CustomKeywords { get; set; } = [];

    /// <summary>
    /// When set, an inbound message that reads like an opt-out without being a keyword ("please stop texting me")
    /// opts the number out; otherwise it is only flagged (<c>possible_opt_out</c>).
    /// </summary>
    public bool OptOutOnPossibleOptOut { get; set; }

    /// <summary>Double opt-in: a lead created without consent proof is asked to confirm by replying YES, and gets nothing else until it does.</summary>
    public bool DoubleOptIn { get; set; }

    /// <summary>The double opt-in confirmation text; null sends <see cref="DefaultConfirmationText"/>. The HELP/STOP line is added when missing.</summary>
    public string? ConfirmationText { get; set; }
    /// <summary>ISO 3166-1 alpha-2: the country the client texts by default, priced by its own plan.</summary>
    public string HomeCountry { get; set; } = DestinationSettings.DefaultHomeCountry;

    /// <summary>Other countries (ISO 3166-1 alpha-2) the operator lets the client text, each priced by the operator's table.</summary>
    public List<string> AllowedCountries { get; set; } = [];

    /// <summary>Number types never texted (<see cref="DestinationSettings.NumberTypes"/>).</summary>
    public List<string> DeniedNumberTypes { get; set; } = DestinationSettings.DefaultDeniedNumberTypes();

    /// <summary>The most SMS sent a day (the client's local day); null: no cap.</summary>
    public int? DailyMessageCap { get; set; }

    /// <summary>The most credits spent on SMS a day (the client's local day); null: no cap.</summary>
    public long? DailyCreditCap { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;

    public static string DefaultHelpText(string clientName) =>
        $"{clientName}: reply STOP to unsubscribe, START to resubscribe. Msg & data rates may apply.";

    public static string DefaultConfirmationText(string clientName) =>
        $"{clientName}: reply YES to get our texts. Msg & data rates may apply.";
}

internal sealed class ClientConfiguration : IEntityTypeConfiguration<Client>
{
    public void Configure(EntityTypeBuilder<Client> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.Property(c => c.Email).HasMaxLength(320);
        builder.Property(c => c.ApiKeyPrefix).HasMaxLength(32);
        builder.HasIndex(c => c.ApiKeyPrefix).IsUnique();
        builder.Property(c => c.Timezone).HasMaxLength(64);
        builder.Property(c => c.FromNumber).HasMaxLength(16);
        builder.Property(c => c.MessagingServiceSid).HasMaxLength(34);
        builder.Property(c => c.HelpText).HasMaxLength(320);
        builder.Property(c => c.ConfirmationText).HasMaxLength(320);
        builder.Property(c => c.KeywordLanguages).HasColumnType("text[]");
        builder.Property(c => c.CustomKeywords).HasColumnType("jsonb").HasConversion(CustomKeywordsJson.Converter, CustomKeywordsJson.Comparer);
        // Inbound SMS finds its client by the number or service it was sent to.
        builder.HasIndex(c => c.FromNumber);
        builder.HasIndex(c => c.MessagingServiceSid);
        builder.Property(c => c.CreditBalance).HasDefaultValue(0L).ValueGeneratedOnAddOrUpdate()
            .Metadata.SetAfterSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Ignore);
        builder.Property(c => c.CreditsReserved).HasDefaultValue(0L).ValueGeneratedOnAddOrUpdate()
            .Metadata.SetAfterSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Ignore);
        builder.Ignore(c => c.CreditsAvailable);
        // No HasDefaultValue on the policy columns: EF would then skip a false or 0 the code sets and write the
        // database default instead. The migration gives existing rows (and raw inserts) the same defaults as the entity.
        builder.Property(c => c.FrequencyCaps).HasColumnType("jsonb").HasConversion(FrequencyCapsJson.Converter, FrequencyCapsJson.Comparer);
        builder.Property(c => c.FrequencyCapAction).HasConversion(SnakeCaseEnumConverter.For<FrequencyCapAction>()).HasMaxLength(16);
        // The whole list converted to the names as string[] (text[]): a primitive collection with an element converter
        // wrote rows the CHECK on the names refused (not investigated further).
        builder.Property(c => c.AllowedCategories).HasColumnType("text[]").HasConversion(
            new ValueConverter<List<MessageCategory>, string[]>(
                categories => categories.Select(c => SnakeCaseEnumConverter.ToSnakeCase(c)).ToArray(),
                names => names.Select(n => SnakeCaseEnumConverter.Parse<MessageCategory>(n)).ToList()),
            new ValueComparer<List<MessageCategory>>(
                (a, b) => a!.SequenceEqual(b!), c => c.Aggregate(0, (hash, category) => HashCode.Combine(hash, category)), c => c.ToList()));
        builder.Property(c => c.HomeCountry).HasMaxLength(2);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_clients_credit_balance_not_negative", "credit_balance >= 0");
            // A reservation never overdraws, and no other debit eats into what campaigns hold.
            t.HasCheckConstraint("ck_clients_credits_reserved", "credits_reserved >= 0 AND credits_reserved <= credit_balance");
            t.HasCheckConstraint("ck_clients_sending_window", "sending_window_start <> sending_window_end");
            t.HasCheckConstraint("ck_clients_max_segments", $"max_segments BETWEEN 1 AND {DeliverySettings.MaxSegmentsLimit}");
            t.HasCheckConstraint("ck_clients_frequency_cap_action", "frequency_cap_action IN ('defer', 'skip')");
            t.HasCheckConstraint("ck_clients_frequency_caps_array", "jsonb_typeof(frequency_caps) = 'array'");
            t.HasCheckConstraint("ck_clients_allowed_categories",
                $"cardinality(allowed_categories) >= 1 AND allowed_categories <@ ARRAY[{string.Join(", ", MessageCategories.All.Select(c => $"'{MessageCategories.Name(c)}'"))}]::text[]");
            t.HasCheckConstraint("ck_clients_home_country", "home_country ~ '^[A-Z]{2}$'");
            t.HasCheckConstraint("ck_clients_daily_caps", "daily_message_cap >= 0 AND daily_credit_cap >= 0");
        });
    }
}
