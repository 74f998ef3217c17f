using System.Text;
using System.Text.RegularExpressions;

namespace SmsRemarketing.Domain.Privacy;

/// <summary>
/// Phone numbers as operators' channels show them (logs, traces, the fault headers of error queues): enough to tell two
/// apart and to find the tenant's record (<c>+1415•••0123</c>), not enough to text the person. The tenant's own
/// channels (its problem details, its messages' error text) show its numbers in full: they are its data.
/// </summary>
public static partial class PhoneRedaction
{
    private const string Hidden = "•••";

    /// <summary>
    /// <paramref name="phone"/> with its middle digits hidden: the first four and last four digits of a long number,
    /// two and two of a short one; a leading <c>+</c> is kept, anything that is not a digit is dropped.
    /// </summary>
    public static string Mask(string phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        var digits = new StringBuilder(phone.Length);
        foreach (var c in phone)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
        }

        var kept = digits.Length >= 10 ? 4 : 2;
        var prefix = phone.TrimStart().StartsWith('+') ? "+" : "";
        return digits.Length <= 2 * kept
            ? prefix + Hidden
            : prefix + digits.ToString(0, kept) + Hidden + digits.ToString(digits.Length - kept, kept);
    }

    /// <summary>
    /// <paramref name="text"/> with every E.164 number in it (<c>+</c> and 7 to 15 digits) masked, and every occurrence
    /// of <paramref name="known"/> (a number as it was given, which may lack the <c>+</c> or have spaces) too.
    /// </summary>
    public static string InText(string text, string? known = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!string.IsNullOrWhiteSpace(known) && known.Trim().Length >= 6)
        {
            text = text.Replace(known.Trim(), Mask(known), StringComparison.Ordinal);
        }

        return E164().Replace(text, match => Mask(match.Value));
    }

    [GeneratedRegex(@"\+\d{7,15}(?!\d)")]
    private static partial Regex E164();
}
