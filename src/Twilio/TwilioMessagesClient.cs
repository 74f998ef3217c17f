using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace SmsRemarketing.Twilio;

/// <summary>
/// Twilio's Messages resource over HTTP. It never retries: a resent POST can text a person twice, so retry policy
/// belongs to the caller, which sees every send as a <see cref="TwilioSendResult"/>.
/// </summary>
public sealed class TwilioMessagesClient(HttpClient httpClient, IOptions<TwilioOptions> options)
{
    private const int MaxPageSize = 1000;

    private readonly TwilioOptions _options = options.Value;

    /// <summary>Sends from the configured sender (<see cref="TwilioOptions.MessagingServiceSid"/>, else <see cref="TwilioOptions.DefaultFrom"/>).</summary>
    /// <exception cref="InvalidOperationException">Neither is configured.</exception>
    public Task<TwilioSendResult> SendAsync(string to, string body, Uri? statusCallback = null, CancellationToken cancellationToken = default) =>
        SendAsync(to, DefaultSender(), body, statusCallback, cancellationToken);

    /// <summary>
    /// POST Messages.json once. Twilio's answers and transport failures come back as a result, never as exceptions.
    /// A cancelled <paramref name="cancellationToken"/> throws only before anything was sent; once the request is
    /// in flight, cancelling yields <see cref="SendAmbiguous"/>, because the message may already exist.
    /// </summary>
    /// <remarks>
    /// <c>statusCallback</c> overrides <see cref="TwilioOptions.StatusCallbackUrl"/>; it is sent as its <c>AbsoluteUri</c>,
    /// the exact string Twilio then signs callbacks over.
    /// </remarks>
    public async Task<TwilioSendResult> SendAsync(string to, TwilioSender sender, string body, Uri? statusCallback = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(to);
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(body);
        cancellationToken.ThrowIfCancellationRequested();

        var fields = new List<KeyValuePair<string, string>> { new("To", to) };
        if (sender.MessagingServiceSid is not null)
        {
            fields.Add(new("MessagingServiceSid", sender.MessagingServiceSid));
        }

        if (sender.From is not null)
        {
            fields.Add(new("From", sender.From));
        }

        fields.Add(new("Body", body));
        if ((statusCallback ?? _options.StatusCallbackUrl) is { } callback)
        {
            fields.Add(new("StatusCallback", callback.AbsoluteUri));
        }

        using var timeout = new CancellationTokenSource(_options.RequestTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = NewRequest(HttpMethod.Post, new Uri(MessagesUri()));
        request.Content = new FormUrlEncodedContent(fields);

        HttpResponseMessage response;
        try
        {
            response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
        }
        catch (HttpRequestException ex) when (NeverReachedTwilio(ex))
        {
            return new SendTransient(null, null, $"No connection to Twilio: {ex.Message}", null);
        }
        catch (HttpRequestException ex)
        {
            return new SendAmbiguous("The connection failed after the request may have been sent.", null, ex);
        }
        catch (OperationCanceledException ex)
        {
            return new SendAmbiguous(CancellationReason(cancellationToken), null, ex);
        }

        using (response)
        {
            return await InterpretAsync(response, cancellationToken, linked.Token);
        }
    }

    /// <summary>GET one message; null when Twilio answers 404.</summary>
    /// <exception cref="TwilioApiException">Any other non-2xx answer, or an unreadable body.</exception>
    public async Task<TwilioMessage?> FetchAsync(string sid, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sid);
        using var document = await GetJsonAsync(new Uri($"{AccountUri()}/Messages/{Uri.EscapeDataString(sid)}.json"), allowNotFound: true, cancellationToken);
        if (document is null)
        {
            return null;
        }

        return TwilioMessage.TryParse(document.RootElement) ?? throw new TwilioApiException("Twilio's message body has no sid or status.");
    }

    /// <summary>
    /// First page of messages to <paramref name="to"/>, newest first: the reconciliation query after an ambiguous send.
    /// </summary>
    /// <remarks>
    /// <c>dateSentAfter</c> is Twilio's <c>DateSent&gt;</c> (on or after that GMT day). Messages not sent yet have no
    /// date_sent and may be left out, so leave it null when looking for a message whose create answer was lost.
    /// </remarks>
    public Task<TwilioMessagePage> ListAsync(string to, string? from = null, int pageSize = 50, DateOnly? dateSentAfter = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(to);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);

        var query = new StringBuilder("?To=").Append(Uri.EscapeDataString(to));
        if (from is not null)
        {
            query.Append("&From=").Append(Uri.EscapeDataString(from));
        }

        if (dateSentAfter is { } day)
        {
            query.Append("&DateSent%3E=").Append(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        query.Append("&PageSize=").Append(pageSize.ToString(CultureInfo.InvariantCulture));
        return GetPageAsync(new Uri(MessagesUri() + query.ToString()), cancellationToken);
    }

    /// <summary>The page after <paramref name="page"/>, or null on the last page.</summary>
    public async Task<TwilioMessagePage?> ListNextAsync(TwilioMessagePage page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.NextPageUri is null ? null : await GetPageAsync(Resolve(page.NextPageUri), cancellationToken);
    }

    private async Task<TwilioMessagePage> GetPageAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var document = await GetJsonAsync(uri, allowNotFound: false, cancellationToken);
        var root = document!.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("messages", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            throw new TwilioApiException("Twilio's list body has no messages array.");
        }

        var messages = new List<TwilioMessage>(items.GetArrayLength());
        foreach (var item in items.EnumerateArray())
        {
            messages.Add(TwilioMessage.TryParse(item) ?? throw new TwilioApiException("A listed message has no sid or status."));
        }

        return new TwilioMessagePage(
            messages,
            TwilioJson.GetInt(root, "page") ?? 0,
            TwilioJson.GetInt(root, "page_size") ?? messages.Count,
            TwilioJson.GetUri(root, "next_page_uri"),
            TwilioJson.GetUri(root, "previous_page_uri"));
    }

    private async Task<JsonDocument?> GetJsonAsync(Uri uri, bool allowNotFound, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = NewRequest(HttpMethod.Get, uri);
        using var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
        var text = await response.Content.ReadAsStringAsync(linked.Token);
        if (allowNotFound && response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new TwilioApiException((int)response.StatusCode, TwilioApiError.TryParse(text, (int)response.StatusCode));
        }

        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new TwilioApiException("Twilio's body is not JSON.", ex);
        }
    }

    private static async Task<TwilioSendResult> InterpretAsync(HttpResponseMessage response, CancellationToken callerToken, CancellationToken token)
    {
        var status = (int)response.StatusCode;
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(token);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            if (status < 400)
            {
                var reason = ex is OperationCanceledException ? CancellationReason(callerToken) : "The 2xx body could not be read.";
                return new SendAmbiguous(reason, status, ex);
            }

            // The status line alone settles 4xx/5xx; the lost body only costs us the Twilio code.
            text = "";
        }

        if (status is >= 200 and < 300)
        {
            return ParseAccepted(text, status);
        }

        var error = TwilioApiError.TryParse(text, status);
        if (status >= 400)
        {
            var message = error?.Message is { Length: > 0 } m ? m : response.ReasonPhrase ?? $"HTTP {status}";
            return TwilioErrorCodes.Classify(status, error?.Code) == TwilioFailureKind.Transient
                ? new SendTransient(status, error?.Code, message, RetryAfter(response))
                : new SendRejected(status, error?.Code, message, error?.MoreInfo);
        }

        // 1xx/3xx: Twilio never answers a create this way, so nothing proves the message does or does not exist.
        return new SendAmbiguous($"Unexpected HTTP {status} to a create.", status, null);
    }

    private static TwilioSendResult ParseAccepted(string text, int status)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return TwilioMessage.TryParse(document.RootElement) is { } message
                ? new SendAccepted(message.Sid, message.Status, message.NumSegments, message)
                : new SendAmbiguous("The 2xx body has no sid or status.", status, null);
        }
        catch (JsonException ex)
        {
            return new SendAmbiguous("The 2xx body is not JSON.", status, ex);
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => null,
        };

    // Errors raised while opening the connection happen before a single request byte is written.
    private static bool NeverReachedTwilio(HttpRequestException ex) =>
        ex.HttpRequestError is HttpRequestError.NameResolutionError
            or HttpRequestError.ConnectionError
            or HttpRequestError.SecureConnectionError
            or HttpRequestError.ProxyTunnelError;

    private static string CancellationReason(CancellationToken callerToken) =>
        callerToken.IsCancellationRequested
            ? "Cancelled by the caller after the request may have been sent."
            : "No answer within the request timeout.";

    private HttpRequestMessage NewRequest(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri);
        var (user, password) = _options.UsesApiKey
            ? (_options.ApiKeySid!, _options.ApiKeySecret!)
            : (_options.AccountSid, _options.AuthToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    private TwilioSender DefaultSender() =>
        _options.MessagingServiceSid is { Length: > 0 } service ? TwilioSender.FromMessagingService(service)
        : _options.DefaultFrom is { Length: > 0 } from ? TwilioSender.FromNumber(from)
        : throw new InvalidOperationException("Configure Twilio:MessagingServiceSid or Twilio:DefaultFrom, or pass a sender.");

    private string AccountUri() => $"{_options.BaseUrl.AbsoluteUri.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(_options.AccountSid)}";

    private string MessagesUri() => AccountUri() + "/Messages.json";

    // next_page_uri is a path on the API host; keep any path prefix of BaseUrl (e.g. a proxy mount).
    private Uri Resolve(Uri pageUri) =>
        pageUri.IsAbsoluteUri ? pageUri : new Uri(_options.BaseUrl.AbsoluteUri.TrimEnd('/') + pageUri.OriginalString);
}
