using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;

namespace SmsRemarketing.Domain.Audiences;

/// <summary>
/// Collects the parameters of one filter's SQL: every value and custom field key is a parameter named
/// <c>@{prefix}{n}</c>; only the lead alias and the fixed column names are written into the text.
/// </summary>
internal sealed partial class SegmentSqlWriter
{
    private readonly string _prefix;
    private readonly DateTimeOffset? _now;
    private readonly List<NpgsqlParameter> _parameters = [];

    public SegmentSqlWriter(string leadAlias, string parameterPrefix, DateTimeOffset? now)
    {
        CheckAlias(leadAlias);
        // Not ending in a digit: then no two prefixes' names can meet ("s1" + "0" would be "s" + "10").
        if (!Prefix().IsMatch(parameterPrefix))
        {
            throw new ArgumentException("A parameter prefix is letters and '_' (e.g. include, exclude), not ending in a digit.", nameof(parameterPrefix));
        }

        LeadAlias = leadAlias;
        _prefix = parameterPrefix;
        _now = now;
    }

    public string LeadAlias { get; }

    /// <summary>The alias is written into the SQL, so it is held to a plain identifier.</summary>
    public static void CheckAlias(string leadAlias)
    {
        if (leadAlias is null || !Alias().IsMatch(leadAlias))
        {
            throw new ArgumentException("A lead alias is a lower-case SQL identifier (e.g. l).", nameof(leadAlias));
        }
    }

    public IReadOnlyList<NpgsqlParameter> Parameters => _parameters;

    public string Column(string column) => $"{LeadAlias}.{column}";

    public string Add(NpgsqlDbType type, object value)
    {
        var name = _prefix + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add(new NpgsqlParameter(name, type) { Value = value });
        return "@" + name;
    }

    /// <summary>The instant <paramref name="days"/> days before now: the caller's clock when given, else the database's.</summary>
    public string DaysAgo(int days) => _now is { } now
        ? Add(NpgsqlDbType.TimestampTz, now.ToUniversalTime().AddDays(-days))
        : $"(now() - make_interval(days => {Add(NpgsqlDbType.Integer, days)}))";

    [GeneratedRegex("^[a-z_][a-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Alias();

    [GeneratedRegex("^[A-Za-z_]([A-Za-z0-9_]*[A-Za-z_])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Prefix();
}
