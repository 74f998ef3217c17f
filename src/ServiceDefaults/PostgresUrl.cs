namespace SmsRemarketing.ServiceDefaults;

/// <summary>Turns <c>postgresql://user:password@host:port/database?sslmode=require</c> into an Npgsql connection string.</summary>
public static class PostgresUrl
{
    public static string ToConnectionString(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql"))
        {
            throw new FormatException("DATABASE_URL must look like postgresql://user:password@host:port/database.");
        }

        var credentials = uri.UserInfo.Split(':', 2);
        var parts = new List<string>
        {
            $"Host={uri.Host}",
            $"Port={(uri.Port > 0 ? uri.Port : 5432)}",
            $"Database={Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'))}",
        };
        if (credentials[0].Length > 0)
        {
            parts.Add($"Username={Uri.UnescapeDataString(credentials[0])}");
        }

        if (credentials.Length > 1)
        {
            parts.Add($"Password={Uri.UnescapeDataString(credentials[1])}");
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var keyValue = pair.Split('=', 2);
            if (keyValue.Length == 2 && keyValue[0].Equals("sslmode", StringComparison.OrdinalIgnoreCase))
            {
                parts.Add($"SSL Mode={Uri.UnescapeDataString(keyValue[1])}");
            }
        }

        return string.Join(';', parts);
    }
}
