using System.Text.Json;
using SmsRemarketing.Data.Audiences;
using SmsRemarketing.Domain.Audiences;

namespace SmsRemarketing.Api.Features.Audiences;

/// <summary><see cref="Filter"/> as it is evaluated: every condition written out, <c>exists</c> with its true or false.</summary>
internal sealed record SegmentResponse(Guid Id, string Name, JsonElement Filter, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The filter is written again rather than echoed: jsonb reorders keys ("op" before "field"), a reader should not see that.</summary>
    public static SegmentResponse From(Segment segment) =>
        new(segment.Id, segment.Name, SegmentFilter.FromStored(segment.Filter).ToJson(), segment.CreatedAt, segment.UpdatedAt);
}

/// <summary>How many leads are members now.</summary>
internal sealed record SegmentCountResponse(long Count);
