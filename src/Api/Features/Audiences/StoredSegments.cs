using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Audiences;

namespace SmsRemarketing.Api.Features.Audiences;

/// <summary>What the segment's count and its list of leads both need: its filter, when the segment is the client's.</summary>
internal static class StoredSegments
{
    public const string NameIndex = "ix_segments_client_id_name";

    public static async Task<SegmentFilter?> FilterAsync(SmsDbContext db, Guid clientId, Guid id, CancellationToken cancellationToken) =>
        await db.Segments.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && s.ClientId == clientId, cancellationToken) is { } segment
            ? SegmentFilter.FromStored(segment.Filter)
            : null;
}
