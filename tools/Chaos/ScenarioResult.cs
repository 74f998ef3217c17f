using System.Globalization;

namespace SmsRemarketing.Chaos;

/// <summary>One scenario's counts and every broken promise found, in words.</summary>
internal sealed record ScenarioResult(
    string Name, int Accepted, int Sent, int Failed, int Suppressed, int Duplicates, int Lost, IReadOnlyList<string> Violations, TimeSpan Duration)
{
    public bool Passed => Duplicates == 0 && Lost == 0 && Violations.Count == 0;

    /// <summary>The line issue 10 asks for, parsed by scripts and CI.</summary>
    public string Line => string.Create(CultureInfo.InvariantCulture,
        $"scenario={Name} accepted={Accepted} sent={Sent} failed={Failed} suppressed={Suppressed} duplicates={Duplicates} lost={Lost}");
}
