using SmsRemarketing.Data;
using SmsRemarketing.Messaging;
using SmsRemarketing.Scheduler.Campaigns;
using SmsRemarketing.Scheduler.Deferred;
using SmsRemarketing.Scheduler.Redrive;
using SmsRemarketing.Scheduler.Triggers;
using SmsRemarketing.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSmsDatabase();
builder.AddMessaging(bus => bus.AddTriggerConsumers());
builder.AddLeadAgeSchedule();
builder.AddDeferredRelease();
builder.AddCampaignDelivery();
builder.AddQueuedMessageRedrive();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
