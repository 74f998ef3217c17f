namespace SmsRemarketing.Twilio;

/// <summary>One page of GET Messages.json, newest first. Follow <see cref="NextPageUri"/> with <see cref="TwilioMessagesClient.ListNextAsync"/>.</summary>
public sealed record TwilioMessagePage(IReadOnlyList<TwilioMessage> Messages, int Page, int PageSize, Uri? NextPageUri, Uri? PreviousPageUri);
