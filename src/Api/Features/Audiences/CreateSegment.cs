using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Audiences;
using SmsRemarketing.Domain.Audiences;

namespace SmsRemarketing.Api.Features.Audiences;

internal sealed record CreateSegmentRequest(string? Name, JsonElement? Filter);

/// <summary><c>POST /segments</c>: the filter is checked now, each error named by its path in the tree (<c>filter.all[1].op</c>).</summary>
internal static class CreateSegment
{
    public static async Task<Results<Created<SegmentResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        CreateSegmentRequest request, ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Text("name", request.Name, 200, required: true);
        var filter = SegmentFilter.Parse(request.Filter ?? default, errors);
        if (!errors.IsValid || filter is null)
        {
            return errors.ToProblem();
        }

        var now = time.GetUtcNow();
        var segment = new Segment { ClientId = user.ClientId(), Name = request.Name!.Trim(), Filter = filter.ToJson(), CreatedAt = now, UpdatedAt = now };
        db.Segments.Add(segment);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation(StoredSegments.NameIndex))
        {
            return ApiProblems.Conflict($"A segment named '{segment.Name}' already exists.");
        }

        return TypedResults.Created($"/segments/{segment.Id}", SegmentResponse.From(segment));
    }
}
