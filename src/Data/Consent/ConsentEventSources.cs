namespace SmsRemarketing.Data.Consent;

/// <summary>The stored (and JSON) names of <see cref="ConsentEventSource"/>; the Twilio code keeps its own underscore.</summary>
public static class ConsentEventSources
{
    public const string TwilioError21610 = "twilio_error_21610";

    public static string Name(ConsentEventSource source) =>
        source == ConsentEventSource.TwilioError21610 ? TwilioError21610 : SnakeCaseEnumConverter.ToSnakeCase(source);

    public static ConsentEventSource Parse(string name) =>
        name == TwilioError21610 ? ConsentEventSource.TwilioError21610 : SnakeCaseEnumConverter.Parse<ConsentEventSource>(name);
}
