using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Consent;

namespace SmsRemarketing.Api.Features.Compliance;

/// <summary>
/// <c>GET /suppressions</c>: the client's opted-out numbers, most recent opt-out first, whether or not a lead has the
/// number now (the keyset is the opt-out's time and the number).
/// </summary>
internal static class ListSuppressions
{
    public static async Task<Results<Ok<Page<SuppressionResponse>>, ValidationProblem>> HandleAsync(
        ClaimsPrincipal user, SmsDbContext db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var page = Paging.Read<SuppressionPosition>(errors, limit, cursor, SuppressionPosition.TryDecode);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var optedOut = db.Set<PhoneConsent>().AsNoTracking().Where(c => c.ClientId == clientId && c.OptedOutAt != null);
        if (page.After is { } after)
        {
            optedOut = optedOut.Where(c => c.OptedOutAt < after.OptedOutAt
                || (c.OptedOutAt == after.OptedOutAt && c.Phone.CompareTo(after.Phone) < 0));
        }

        var rows = await SuppressionResponse.Project(db, optedOut.OrderByDescending(c => c.OptedOutAt).ThenByDescending(c => c.Phone).Take(page.Fetch))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(page.ToPage(rows, row => new SuppressionPosition(row.OptedOutAt, row.Phone).Encode()));
    }

    /// <summary>The (opted_out_at, phone) of the last row of a page, opaque to the client.</summary>
    internal readonly record struct SuppressionPosition(DateTimeOffset OptedOutAt, string Phone)
    {
        public string Encode()
        {
            var phone = Encoding.ASCII.GetBytes(Phone);
            var bytes = new byte[8 + phone.Length];
            BinaryPrimitives.WriteInt64BigEndian(bytes, OptedOutAt.UtcTicks);
            phone.CopyTo(bytes, 8);
            return Base64Url.EncodeToString(bytes);
        }

        public static bool TryDecode(string? text, out SuppressionPosition? position)
        {
            position = null;
            if (string.IsNullOrEmpty(text))
            {
                return true;
            }

            if (text.Length > 40 || !Base64Url.IsValid(text))
            {
                return false;
            }

            var bytes = Base64Url.DecodeFromChars(text);
            if (bytes.Length is < 10 or > 24)
            {
                return false;
            }

            var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
            var phone = Encoding.ASCII.GetString(bytes, 8, bytes.Length - 8);
            if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks || !phone.StartsWith('+') || !phone[1..].All(char.IsAsciiDigit))
            {
                return false;
            }

            position = new SuppressionPosition(new DateTimeOffset(ticks, TimeSpan.Zero), phone);
            return true;
        }
    }
}
