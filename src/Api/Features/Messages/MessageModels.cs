using System.Linq.Expressions;
using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Api.Features.Messages;

/// <summary>
/// To <see cref="LeadId"/>, either <see cref="TemplateId"/> (rendered with the lead and <see cref="Variables"/>) or a literal
/// <see cref="Body"/>. <see cref="IgnoreQuietHours"/>: send even outside the client's sending window.
/// </summary>
internal sealed record SendMessageRequest(
    Guid? LeadId, Guid? TemplateId, string? Body, Dictionary<string, string?>? Variables, bool? IgnoreQuietHours = null);

internal sealed record MessageResponse(
    Guid Id, MessageStatus Status, Guid LeadId, string To, string? From, string Body, int Segments, MessageSource Source,
    Guid? TemplateId, Guid? TriggerId, string? TwilioSid, int? ErrorCode, string? ErrorMessage, int CreditCost, DateTimeOffset? SendAfter,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? SentAt, DateTimeOffset? DeliveredAt)
{
    public static readonly Expression<Func<Message, MessageResponse>> Projection = m => new MessageResponse(
        m.Id, m.Status, m.LeadId, m.ToPhone, m.FromPhone, m.Body, m.Segments, m.Source, m.TemplateId, m.TriggerId,
        m.TwilioSid, m.ErrorCode, m.ErrorMessage, m.CreditCost, m.SendAfter, m.CreatedAt, m.UpdatedAt, m.SentAt, m.DeliveredAt);

    private static readonly Func<Message, MessageResponse> Compiled = Projection.Compile();

    public static MessageResponse Of(Message message) => Compiled(message);
}
