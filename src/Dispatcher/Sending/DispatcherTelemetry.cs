using System.Diagnostics.Metrics;

namespace SmsRemarketing.Dispatcher.Sending;

/// <summary>What the Dispatcher counts. The meter name matches ServiceDefaults' <c>SmsRemarketing.*</c>.</summary>
internal static class DispatcherTelemetry
{
    private static readonly Meter Meter = new("SmsRemarketing.Dispatcher");

    public static readonly Counter<long> Outcomes = Meter.CreateCounter<long>(
        "sms.outcomes", "{message}", "Messages settled, by outcome (sent, failed, suppressed, unknown) and Twilio error code.");

    public static readonly Counter<long> TwilioThrottled = Meter.CreateCounter<long>(
        "twilio.throttled", "{request}", "Requests Twilio answered with 429.");

    public static readonly Counter<long> CreditsDebited = Meter.CreateCounter<long>(
        "credits.debited", "{credit}", "Credits taken for SMS attempts (refunds not subtracted).");

    public static readonly Histogram<double> ConsumerLag = Meter.CreateHistogram<double>(
        "sms.consumer_lag", "ms", "From the send being requested to the Dispatcher starting on it.");

    public static readonly Histogram<double> TwilioRequestDuration = Meter.CreateHistogram<double>(
        "twilio.request.duration", "ms", "Time of one create-message request to Twilio.");
}
