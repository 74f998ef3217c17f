namespace SmsRemarketing.Api.Hosting;

/// <summary>One page of a list; <see cref="NextCursor"/> is null on the last page.</summary>
internal sealed record Page<T>(IReadOnlyList<T> Data, string? NextCursor);
