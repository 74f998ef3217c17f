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
}
