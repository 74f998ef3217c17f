using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace SmsRemarketing.Api.Hosting;

internal static class DatabaseErrors
{
    /// <summary>
    /// The insert lost a race to a unique index (or <paramref name="constraint"/> in particular): an expected
    /// outcome (a duplicate), answered as such, not a fault.
    /// </summary>
    public static bool IsUniqueViolation(this DbUpdateException exception, string? constraint = null) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } postgres
        && (constraint is null || postgres.ConstraintName == constraint);
}
