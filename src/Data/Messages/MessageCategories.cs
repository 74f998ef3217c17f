namespace SmsRemarketing.Data.Messages;

/// <summary>The category names as stored and spoken by the Api, and the checks the tables that hold them share.</summary>
public static class MessageCategories
{
    public static readonly IReadOnlyList<MessageCategory> All = Enum.GetValues<MessageCategory>();

    /// <summary>What a new client may use: marketing only, until the operator allows more.</summary>
    public static List<MessageCategory> Default() => [MessageCategory.Marketing];

    public static string Name(MessageCategory category) => SnakeCaseEnumConverter.ToSnakeCase(category);

    /// <summary>"marketing, transactional, conversational", for problem details.</summary>
    public static string Names(IEnumerable<MessageCategory> categories) => string.Join(", ", categories.Select(Name));

    /// <summary>The category named <paramref name="text"/> exactly as the Api spells it; null for any other text.</summary>
    public static MessageCategory? Parse(string? text) =>
        All.Cast<MessageCategory?>().FirstOrDefault(c => string.Equals(Name(c!.Value), text?.Trim(), StringComparison.Ordinal));

    /// <summary>A CHECK that <paramref name="column"/> holds one of the names.</summary>
    public static string CheckSql(string column) => $"{column} IN ({string.Join(", ", All.Select(c => $"'{Name(c)}'"))})";
}
