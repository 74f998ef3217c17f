using Microsoft.Extensions.Options;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.TwilioEmulator;

internal sealed class EmulatorOptionsValidator : IValidateOptions<EmulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, EmulatorOptions options)
    {
        var failures = new List<string>();
        if (!TwilioSid.IsAccountSid(options.AccountSid))
        {
            failures.Add("Emulator:AccountSid must match ^AC[0-9a-fA-F]{32}$.");
        }

        if (string.IsNullOrEmpty(options.AuthToken))
        {
            failures.Add("Emulator:AuthToken is required.");
        }

        if (!string.IsNullOrEmpty(options.ApiKeySid) && (!TwilioSid.IsApiKeySid(options.ApiKeySid) || string.IsNullOrEmpty(options.ApiKeySecret)))
        {
            failures.Add("Emulator:ApiKeySid must match ^SK[0-9a-fA-F]{32}$ and come with Emulator:ApiKeySecret.");
        }

        if (options.MaxStoredMessages < 1 || options.MaxCallbackLogEntries < 1 || options.CallbackTimeoutMs < 1 || options.CallbackConcurrency < 1)
        {
            failures.Add("Emulator:MaxStoredMessages, MaxCallbackLogEntries, CallbackTimeoutMs and CallbackConcurrency must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
