using System.Diagnostics.Metrics;

namespace SmsRemarketing.Api.Features.Webhooks;

/// <summary>Delivery outcomes reported by Twilio's status callbacks (the meter matches ServiceDefaults' <c>SmsRemarketing.*</c>).</summary>
internal static class DeliveryTelemetry
{
    private static readonly Meter Meter = new("SmsRemarketing.Api");

    public static readonly Counter<long> StatusesApplied = Meter.CreateCounter<long>(
        "sms.delivery_statuses", "{message}", "Messages moved by a status callback, by status (delivered, undelivered, …), Twilio error code and client.");
}
