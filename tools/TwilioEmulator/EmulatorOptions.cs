namespace SmsRemarketing.TwilioEmulator;

/// <summary>
/// The emulated account, from the "Emulator" configuration section (env: <c>Emulator__AccountSid</c>…).
/// Fault and delivery knobs live in <see cref="Faults.FaultSettings"/>, bound from the same section.
/// </summary>
public sealed class EmulatorOptions
{
    public const string SectionName = "Emulator";
    public const string DefaultAccountSid = "ACe0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0";
    public const string DefaultAuthToken = "emulator-auth-token";
    public const string DefaultApiKeySid = "SKe0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0";
    public const string DefaultApiKeySecret = "emulator-api-key-secret";

    public string AccountSid { get; set; } = DefaultAccountSid;

    /// <summary>Authenticates requests with the AccountSid and signs status callbacks.</summary>
    public string AuthToken { get; set; } = DefaultAuthToken;

    /// <summary>An API key accepted as the Basic user with <see cref="ApiKeySecret"/>; empty disables it.</summary>
    public string? ApiKeySid { get; set; } = DefaultApiKeySid;

    public string? ApiKeySecret { get; set; } = DefaultApiKeySecret;

    /// <summary>The number a messaging service "assigns" when a message leaves the queue.</summary>
    public string MessagingServiceFrom { get; set; } = "+15005550006";

    /// <summary>The oldest messages are dropped beyond this (memory stays bounded in long benchmarks).</summary>
    public int MaxStoredMessages { get; set; } = 200_000;

    public int MaxCallbackLogEntries { get; set; } = 500_000;

    /// <summary>Per callback attempt; Twilio's own limits are in the same range (5 s connect, 15 s total).</summary>
    public int CallbackTimeoutMs { get; set; } = 5_000;

    /// <summary>Callbacks in flight at once, so a benchmark does not open thousands of sockets.</summary>
    public int CallbackConcurrency { get; set; } = 64;
}
