using System.Text.Json.Serialization;

namespace SmsRemarketing.TwilioEmulator.Messages;

/// <summary>Twilio's ListMessageResponse; <c>end</c> is the index of the page's last item, inclusive.</summary>
internal sealed record MessageListResource(
    [property: JsonPropertyName("messages")] IReadOnlyList<MessageResource> Messages,
    [property: JsonPropertyName("end")] int End,
    [property: JsonPropertyName("first_page_uri")] string FirstPageUri,
    [property: JsonPropertyName("next_page_uri")] string? NextPageUri,
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("page_size")] int PageSize,
    [property: JsonPropertyName("previous_page_uri")] string? PreviousPageUri,
    [property: JsonPropertyName("start")] int Start,
    [property: JsonPropertyName("uri")] string Uri);
