using SmsRemarketing.TwilioEmulator.Faults;

namespace SmsRemarketing.TwilioEmulator.Accounts;

/// <summary>Added latency on every Twilio API call, before anything else: it stands for the network and Twilio's edge.</summary>
internal sealed class LatencyFilter(FaultInjector faults, TimeProvider time) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (faults.Current.LatencyMs is > 0 and var latency)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(latency), time, context.HttpContext.RequestAborted);
        }

        return await next(context);
    }
}
