using System.Text.Json.Serialization;

namespace SmsRemarketing.Data.Clients;

/// <summary>At most <see cref="MaxMessages"/> automated SMS to one lead in any <see cref="WindowHours"/> (a rolling window).</summary>
public sealed record FrequencyCapRule(int MaxMessages, int WindowHours)
{
    [JsonIgnore]
    public TimeSpan Window => TimeSpan.FromHours(WindowHours);
}
