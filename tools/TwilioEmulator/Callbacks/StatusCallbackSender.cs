using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using SmsRemarketing.Twilio;
using SmsRemarketing.TwilioEmulator.Inspection;
using SmsRemarketing.TwilioEmulator.Messages;

namespace SmsRemarketing.TwilioEmulator.Callbacks;

/// <summary>
/// POSTs a status callback as Twilio does: form-encoded, signed with the auth token over the exact StatusCallback
/// string, retried once only when the connection could not be made (Twilio's default).
/// </summary>
internal sealed class StatusCallbackSender(
    IHttpClientFactory httpClientFactory,
    IOptions<EmulatorOptions> options,
    CallbackLog log,
    EmulatorCounters counters,
    TimeProvider time,
    ILogger<StatusCallbackSender> logger) : IDisposable
{
    public const string HttpClientName = "status-callbacks";

    private readonly SemaphoreSlim _concurrency = new(options.Value.CallbackConcurrency);

    public async Task SendAsync(StoredMessage message, string status, int? errorCode, CancellationToken cancellationToken)
    {
        var url = message.StatusCallback!;
        // The fragment carries Twilio's connection overrides (#rc=…); it is never sent over HTTP.
        var target = url.Split('#')[0];
        var fields = Fields(message, status, errorCode);
        var signature = TwilioRequestSignature.Compute(options.Value.AuthToken, target, fields);

        await _concurrency.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; attempt <= 2; attempt++)
            {
                var sentAt = time.GetUtcNow();
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new FormUrlEncodedContent(fields) };
                    request.Headers.Add(TwilioRequestSignature.HeaderName, signature);
                    request.Headers.UserAgent.Add(new ProductInfoHeaderValue("TwilioProxy", "1.1"));
                    using var response = await httpClientFactory.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
                    // Counted before logged: whoever sees the record also sees the count.
                    counters.Count(response.IsSuccessStatusCode ? Counter.CallbacksSucceeded : Counter.CallbacksFailed);
                    log.Add(new CallbackRecord(message.Sid, target, status, fields, signature, attempt, (int)response.StatusCode, null, sentAt));
                    return;
                }
                catch (HttpRequestException ex) when (attempt == 1 && ex.HttpRequestError == HttpRequestError.ConnectionError)
                {
                    log.Add(new CallbackRecord(message.Sid, target, status, fields, signature, attempt, null, ex.Message, sentAt));
                }
                catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    counters.Count(Counter.CallbacksFailed);
                    log.Add(new CallbackRecord(message.Sid, target, status, fields, signature, attempt, null, ex.Message, sentAt));
                    if (logger.IsEnabled(LogLevel.Debug))
                    {
                        logger.LogDebug(ex, "Status callback {Status} for {MessageSid} to {Url} failed", status, message.Sid, target);
                    }

                    return;
                }
            }
        }
        finally
        {
            _concurrency.Release();
        }
    }

    public void Dispose() => _concurrency.Dispose();

    private Dictionary<string, string> Fields(StoredMessage message, string status, int? errorCode)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["MessageSid"] = message.Sid,
            ["SmsSid"] = message.Sid,
            ["AccountSid"] = message.AccountSid,
            ["From"] = message.From ?? options.Value.MessagingServiceFrom,
            ["To"] = message.To,
            ["MessageStatus"] = status,
            ["SmsStatus"] = status,
            ["ApiVersion"] = "2010-04-01",
        };
        if (errorCode is not null)
        {
            fields["ErrorCode"] = errorCode.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (message.MessagingServiceSid is not null)
        {
            fields["MessagingServiceSid"] = message.MessagingServiceSid;
        }

        return fields;
    }
}
