using System.Linq.Expressions;
using Microsoft.AspNetCore.Http.HttpResults;
using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Api.Features.Messages;

internal sealed record MessageResponse(
    Guid Id, MessageStatus Status, Guid LeadId, string To, string? From, string Body, int Segments, MessageSource Source,
    Guid? TemplateId, Guid? TriggerId, string? TwilioSid, int? ErrorCode, string? ErrorMessage, int CreditCost, DateTimeOffset? SendAfter,
    MessageCategory Category, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? SentAt, DateTimeOffset? DeliveredAt)
{
    public static readonly Expression<Func<Message, MessageResponse>> Projection = m => new MessageResponse(
        m.Id, m.Status, m.LeadId, m.ToPhone, m.FromPhone, m.Body, m.Segments, m.Source, m.TemplateId, m.TriggerId,
        m.TwilioSid, m.ErrorCode, m.ErrorMessage, m.CreditCost, m.SendAfter, m.Category, m.CreatedAt, m.UpdatedAt, m.SentAt, m.DeliveredAt);

    private static readonly Func<Message, MessageResponse> Compiled = Projection.Compile();

    public static MessageResponse Of(Message message) => Compiled(message);

    /// <summary>The answer of a send that queued (or suppressed) <paramref name="message"/>, and of its replays.</summary>
    public static Accepted<MessageResponse> Accepted(MessageResponse message) => TypedResults.Accepted($"/messages/{message.Id}", message);
}
