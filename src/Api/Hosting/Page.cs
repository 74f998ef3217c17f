namespace SmsRemarketing.Api.Hosting;

/// <summary>One page of a list; <see cref="NextCursor"/> is null on the last page.</summary>
internal sealed record Page<T>(IReadOnlyList<T> Data, string? NextCursor)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static bool IsValidLimit(int? limit) => limit is null or (>= 1 and <= MaxLimit);
}
