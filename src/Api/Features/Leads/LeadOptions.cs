using System.ComponentModel.DataAnnotations;
using SmsRemarketing.Domain.Leads;

namespace SmsRemarketing.Api.Features.Leads;

/// <summary>The limits of a lead written through the Api, bound from the <c>Api</c> section and validated at start.</summary>
internal sealed class LeadOptions
{
    public const string SectionName = "Api";

    /// <summary>The largest <c>custom_fields</c> object of a lead, in bytes of JSON.</summary>
    [Range(2, 1024 * 1024)]
    public int MaxCustomFieldsBytes { get; set; } = LeadCreation.DefaultMaxCustomFieldsBytes;
}
