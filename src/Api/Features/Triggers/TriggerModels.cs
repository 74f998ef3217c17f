using System.Linq.Expressions;
using System.Text.Json;
using SmsRemarketing.Data.Triggers;

namespace SmsRemarketing.Api.Features.Triggers;

internal sealed record CreateTriggerRequest(string? Name, TriggerType? Type, Guid? TemplateId, int? Days, bool? IsActive);

/// <summary>The type of a trigger is fixed; absent (or null) fields stay as they are.</summary>
internal sealed record UpdateTriggerRequest(string? Name, Guid? TemplateId, int? Days, bool? IsActive);

internal sealed record TriggerResponse(
    Guid Id, string Name, TriggerType Type, Guid TemplateId, int? Days, bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static readonly Expression<Func<Trigger, TriggerResponse>> Projection = t => new TriggerResponse(
        t.Id, t.Name, t.Type, t.TemplateId, t.Days, t.IsActive, t.CreatedAt, t.UpdatedAt);

    private static readonly Func<Trigger, TriggerResponse> Compiled = Projection.Compile();

    public static TriggerResponse From(Trigger trigger) => Compiled(trigger);
}

/// <summary>
/// Fire a webhook trigger for the lead <see cref="LeadId"/>, or the lead with <see cref="Phone"/> — created (with
/// <see cref="Lead"/>'s fields) when <see cref="CreateLead"/> is true and the client has none with that phone.
/// </summary>
internal sealed record FireTriggerRequest(
    Guid? LeadId, string? Phone, string? Region, bool? CreateLead, FireLeadFields? Lead, Dictionary<string, string?>? Variables);

internal sealed record FireLeadFields(string? FirstName, string? LastName, string? Email, JsonElement? CustomFields, string? Timezone, string? Locale);
