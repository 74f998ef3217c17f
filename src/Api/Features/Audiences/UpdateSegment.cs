using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Audiences;

namespace SmsRemarketing.Api.Features.Audiences;

/// <summary>Absent (or null) fields stay as they are; a filter replaces the whole tree.</summary>
internal sealed record UpdateSegmentRequest(string? Name, JsonElement? Filter);

/// <summary><c>PATCH /segments/{id}</c></summary>
internal static class UpdateSegment
{
    public static async Task<Results<Ok<SegmentResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Guid id, UpdateSegmentRequest request, ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.Name is not null)
        {
            errors.Text("name", request.Name, 200, required: true);
        }

        var filter = request.Filter is { } json ? SegmentFilter.Parse(json, errors) : null;
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var segment = await db.Segments.SingleOrDefaultAsync(s => s.Id == id && s.ClientId == clientId, cancellationToken);
        if (segment is null)
        {
            return ApiProblems.NotFound("segment");
        }

        segment.Name = request.Name?.Trim() ?? segment.Name;
        segment.Filter = filter?.ToJson() ?? segment.Filter;
        segment.UpdatedAt = time.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation(StoredSegments.NameIndex))
        {
            return ApiProblems.Conflict($"A segment named '{segment.Name}' already exists.");
        }

        return TypedResults.Ok(SegmentResponse.From(segment));
    }
}
