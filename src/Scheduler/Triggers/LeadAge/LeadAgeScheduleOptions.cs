using System.ComponentModel.DataAnnotations;

namespace SmsRemarketing.Scheduler.Triggers.LeadAge;

/// <summary>When lead_age sweeps run (section <c>Scheduler</c>).</summary>
internal sealed class LeadAgeScheduleOptions
{
    public const string SectionName = "Scheduler";
    public static readonly TimeSpan DefaultPlanInterval = TimeSpan.FromMinutes(1);

    /// <summary>Quartz cron, evaluated in each client's time zone; the first occurrence of a local day starts its sweep.</summary>
    [Required]
    public string SweepCron { get; set; } = "0 0 9 * * ?";

    /// <summary>How often the Scheduler looks for sweeps that are due (the resolution of <see cref="SweepCron"/>).</summary>
    public TimeSpan PlanInterval { get; set; } = DefaultPlanInterval;

    /// <summary>
    /// Days back a Scheduler that was down sweeps when it returns: each day since the trigger's last sweep run (and
    /// since the trigger was created) whose sweep time passed, at most this many days before today.
    /// </summary>
    [Range(0, 60)]
    public int CatchUpDays { get; set; } = 7;

    /// <summary>
    /// A sweep run requested this long ago and not completed (its command lost, its sweep dead half way) is emitted
    /// again. Well above the longest sweep, so a running one is rarely doubled (a doubled one fires no lead twice).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan ResweepAfter { get; set; } = TimeSpan.FromMinutes(30);
}
