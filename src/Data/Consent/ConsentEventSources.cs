namespace SmsRemarketing.Data.Consent;

/// <summary>The stored (and JSON) names of <see cref="ConsentEventSource"/>; the Twilio code keeps its own underscore.</summary>
public static class ConsentEventSources
{
    public const string TwilioError21610 = "twilio_error_21610";

    /// <summary>Every stored name, for the check constraints.</summary>
    public static string SqlList => string.Join(", ", Enum.GetValues<ConsentEventSource>().Select(s => $"'{Name(s)}'"));

    public static string Name(ConsentEventSource source) =>
        source == ConsentEventSource.TwilioError21610 ? TwilioError21610 : SnakeCaseEnumConverter.ToSnakeCase(source);

    public static ConsentEventSource Parse(string name) =>
        name == TwilioError21610 ? ConsentEventSource.TwilioError21610 : SnakeCaseEnumConverter.Parse<ConsentEventSource>(name);

    /// <summary>
    /// An opt-out the person made (a keyword, Twilio's record of one, their own words) is theirs to lift, by texting an
    /// opt-in keyword; only one the client recorded through the Api can the client lift.
    /// </summary>
    public static bool RecordedByThePerson(ConsentEventSource source) => source != ConsentEventSource.Api;
}
