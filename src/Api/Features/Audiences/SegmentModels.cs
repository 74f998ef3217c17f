using System.Text.Json;
using SmsRemarketing.Data.Audiences;

namespace SmsRemarketing.Api.Features.Audiences;

/// <summary><see cref="Filter"/> as stored: every condition written out, <c>exists</c> with its true or false.</summary>
internal sealed record SegmentResponse(Guid Id, string Name, JsonElement Filter, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static SegmentResponse From(Segment segment) => new(segment.Id, segment.Name, segment.Filter, segment.CreatedAt, segment.UpdatedAt);
}

/// <summary>How many leads are members now.</summary>
internal sealed record SegmentCountResponse(long Count);
