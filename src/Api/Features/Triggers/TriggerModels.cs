using System.Linq.Expressions;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Data.Triggers;

namespace SmsRemarketing.Api.Features.Triggers;

internal sealed record TriggerResponse(
    Guid Id, string Name, TriggerType Type, Guid TemplateId, MessageCategory Category, int? Days, bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static readonly Expression<Func<Trigger, TriggerResponse>> Projection = t => new TriggerResponse(
        t.Id, t.Name, t.Type, t.TemplateId, t.Category, t.Days, t.IsActive, t.CreatedAt, t.UpdatedAt);

    private static readonly Func<Trigger, TriggerResponse> Compiled = Projection.Compile();

    public static TriggerResponse From(Trigger trigger) => Compiled(trigger);
}
