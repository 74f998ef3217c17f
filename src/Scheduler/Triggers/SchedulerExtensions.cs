using MassTransit;
using Quartz;
using SmsRemarketing.Domain.Triggers;
using SmsRemarketing.Scheduler.Triggers.LeadAge;
using SmsRemarketing.Scheduler.Triggers.NewLead;

namespace SmsRemarketing.Scheduler.Triggers;

internal static class SchedulerExtensions
{
    /// <summary>LeadCreated and LeadConfirmed fire new_lead triggers; RunLeadAgeSweep runs a sweep.</summary>
    public static void AddTriggerConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<LeadCreatedConsumer, LeadCreatedConsumerDefinition>();
        bus.AddConsumer<LeadConfirmedConsumer, LeadConfirmedConsumerDefinition>();
        bus.AddConsumer<RunLeadAgeSweepConsumer, RunLeadAgeSweepConsumerDefinition>();
    }

    /// <summary>
    /// The trigger automation and Quartz (in-memory store): a tick that emits, through the outbox, each lead_age
    /// sweep whose time has come in its client's time zone and that no replica emitted yet.
    /// </summary>
    public static IHostApplicationBuilder AddLeadAgeSchedule(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTriggerAutomation();
        builder.Services.AddOptions<LeadAgeScheduleOptions>().BindConfiguration(LeadAgeScheduleOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => CronExpression.TryParse(o.SweepCron, out _), "Scheduler:SweepCron must be a Quartz cron expression.")
            .ValidateOnStart();
        builder.Services.AddScoped<LeadAgeSweepPlanner>();
        var interval = builder.Configuration.GetValue<TimeSpan?>($"{LeadAgeScheduleOptions.SectionName}:{nameof(LeadAgeScheduleOptions.PlanInterval)}")
            ?? LeadAgeScheduleOptions.DefaultPlanInterval;
        builder.Services.AddQuartz(quartz =>
        {
            quartz.UseInMemoryStore();
            quartz.AddJob<LeadAgeSweepJob>(job => job.WithIdentity(LeadAgeSweepJob.Key));
            // Starts at once, so a Scheduler started after the sweep time catches up on its first tick.
            quartz.AddTrigger(trigger => trigger.ForJob(LeadAgeSweepJob.Key).WithIdentity("lead-age-sweeps-tick").StartNow()
                .WithSimpleSchedule(schedule => schedule.WithInterval(interval).RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        builder.Services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return builder;
    }
}
