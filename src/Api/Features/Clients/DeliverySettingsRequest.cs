using System.Globalization;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Api.Features.Clients;

/// <summary>One frequency cap rule as the API takes it: at most <see cref="MaxMessages"/> automated SMS per lead in <see cref="WindowHours"/>.</summary>
internal sealed record FrequencyCapRuleRequest(int? MaxMessages, int? WindowHours);

/// <summary>
/// A client's delivery policy fields, on create and on PATCH (absent or null: unchanged; <c>frequency_caps: []</c>
/// removes the cap). Times are local wall-clock times, <c>HH:mm</c> or <c>HH:mm:ss</c>.
/// </summary>
internal static class DeliverySettingsRequest
{
    private static readonly string[] TimeFormats = ["HH:mm", "HH:mm:ss"];

    /// <summary>Validates the fields given, merged with <paramref name="current"/> (start and end must differ together).</summary>
    public static void Validate(
        ValidationErrors errors, string? start, string? end, IReadOnlyList<FrequencyCapRuleRequest?>? caps, string? capAction, int? maxSegments,
        Client? current = null)
    {
        var parsedStart = ParseTime(errors, "sending_window_start", start) ?? current?.SendingWindowStart ?? DeliverySettings.DefaultWindowStart;
        var parsedEnd = ParseTime(errors, "sending_window_end", end) ?? current?.SendingWindowEnd ?? DeliverySettings.DefaultWindowEnd;
        if ((start is not null || end is not null) && parsedStart == parsedEnd)
        {
            errors.Add(start is not null ? "sending_window_start" : "sending_window_end",
                "The sending window must not be empty: start and end differ (a start after the end spans midnight; turn quiet hours off with quiet_hours_enabled).");
        }

        if (caps is not null)
        {
            if (caps.Count > DeliverySettings.MaxCapRules)
            {
                errors.Add("frequency_caps", $"At most {DeliverySettings.MaxCapRules} rules.");
            }

            for (var i = 0; i < caps.Count; i++)
            {
                if (caps[i] is not { MaxMessages: >= 1 and <= 1000, WindowHours: >= 1 and <= DeliverySettings.MaxCapWindowHours })
                {
                    errors.Add($"frequency_caps[{i}]",
                        $"max_messages between 1 and 1000, window_hours between 1 and {DeliverySettings.MaxCapWindowHours}.");
                }
            }
        }

        if (capAction is not null && ParseAction(capAction) is null)
        {
            errors.Add("frequency_cap_action", "One of defer, skip.");
        }

        if (maxSegments is not null and not (>= 1 and <= DeliverySettings.MaxSegmentsLimit))
        {
            errors.Add("max_segments", $"Between 1 and {DeliverySettings.MaxSegmentsLimit} (Twilio sends at most {DeliverySettings.MaxSegmentsLimit} segments).");
        }
    }

    /// <summary>
    /// The categories named, in their canonical order; null when absent or invalid. Marketing must be among them: it is
    /// the category every template, trigger and send falls back to, and the one bound by quiet hours and the cap, so
    /// allowing a client the others never takes marketing away.
    /// </summary>
    public static List<MessageCategory>? AllowedCategories(ValidationErrors errors, IReadOnlyList<string?>? names)
    {
        if (names is null)
        {
            return null;
        }

        var parsed = new List<MessageCategory>();
        for (var i = 0; i < names.Count; i++)
        {
            if (errors.Category($"allowed_categories[{i}]", names[i] ?? "") is { } category)
            {
                parsed.Add(category);
            }
        }

        if (!parsed.Contains(MessageCategory.Marketing))
        {
            errors.Add("allowed_categories", $"Must include marketing (e.g. [\"marketing\", \"transactional\"]); one of {MessageCategories.Names(MessageCategories.All)} each.");
        }

        return parsed.Count == names.Count && errors.IsValid ? [.. MessageCategories.All.Where(parsed.Contains)] : null;
    }

    /// <summary>Applies the fields given; call after <see cref="Validate"/> found no error.</summary>
    public static void Apply(
        Client client, bool? quietHoursEnabled, string? start, string? end, IReadOnlyList<FrequencyCapRuleRequest?>? caps, string? capAction,
        int? maxSegments, bool? payPerSegment)
    {
        client.QuietHoursEnabled = quietHoursEnabled ?? client.QuietHoursEnabled;
        client.SendingWindowStart = start is null ? client.SendingWindowStart : TimeOnly.ParseExact(start.Trim(), TimeFormats, CultureInfo.InvariantCulture);
        client.SendingWindowEnd = end is null ? client.SendingWindowEnd : TimeOnly.ParseExact(end.Trim(), TimeFormats, CultureInfo.InvariantCulture);
        client.FrequencyCaps = caps is null ? client.FrequencyCaps : caps.Select(c => new FrequencyCapRule(c!.MaxMessages!.Value, c.WindowHours!.Value)).ToList();
        client.FrequencyCapAction = capAction is null ? client.FrequencyCapAction : ParseAction(capAction)!.Value;
        client.MaxSegments = maxSegments ?? client.MaxSegments;
        client.PayPerSegment = payPerSegment ?? client.PayPerSegment;
    }

    private static TimeOnly? ParseTime(ValidationErrors errors, string field, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (TimeOnly.TryParseExact(value.Trim(), TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        errors.Add(field, "A local time of day, HH:mm (e.g. 08:00).");
        return null;
    }

    private static FrequencyCapAction? ParseAction(string value) => value.Trim() switch
    {
        "defer" => FrequencyCapAction.Defer,
        "skip" => FrequencyCapAction.Skip,
        _ => null,
    };
}
