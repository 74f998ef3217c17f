namespace SmsRemarketing.Data.Clients;

/// <summary>The defaults of where a client may text and how much it may spend a day, as a new client gets them.</summary>
public static class DestinationSettings
{
    /// <summary>
    /// The home country of a client whose time zone names no country (UTC, <c>Etc/*</c>), and of every client that
    /// existed before destinations were checked: the service has sent to the US only (its Twilio geo permissions).
    /// </summary>
    public const string DefaultHomeCountry = "US";

    /// <summary>Beyond home, the most countries one client may be allowed (a list to read, not a world).</summary>
    public const int MaxAllowedCountries = 50;

    /// <summary>
    /// The number types (libphonenumber's classification, snake_case) no client texts unless the operator lifts them:
    /// the ranges SMS pumping uses (premium rate, shared cost, UAN, personal numbers that forward anywhere, pagers
    /// and voicemail that no person reads), and numbers of no country (<see cref="NonGeographic"/>, region 001).
    /// </summary>
    public static List<string> DefaultDeniedNumberTypes() =>
        ["premium_rate", "shared_cost", "uan", "personal_number", "pager", "voicemail", NonGeographic];

    /// <summary>Not a libphonenumber type: a number of a non-geographic entity (region <c>001</c>, e.g. +800, +882).</summary>
    public const string NonGeographic = "non_geographic";

    /// <summary>Every name a deny list may hold: libphonenumber's types and <see cref="NonGeographic"/>.</summary>
    public static readonly IReadOnlyList<string> NumberTypes =
    [
        "fixed_line", "mobile", "fixed_line_or_mobile", "toll_free", "premium_rate", "shared_cost", "voip",
        "personal_number", "pager", "uan", "voicemail", "unknown", NonGeographic,
    ];
}
