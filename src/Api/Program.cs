using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Features.Audiences;
using SmsRemarketing.Api.Features.Campaigns;
using SmsRemarketing.Api.Features.Clients;
using SmsRemarketing.Api.Features.Compliance;
using SmsRemarketing.Api.Features.Credits;
using SmsRemarketing.Api.Features.Inbound;
using SmsRemarketing.Api.Features.Leads;
using SmsRemarketing.Api.Features.Messages;
using SmsRemarketing.Api.Features.Prices;
using SmsRemarketing.Api.Features.Templates;
using SmsRemarketing.Api.Features.Triggers;
using SmsRemarketing.Api.Features.Webhooks;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Api.Idempotency;
using SmsRemarketing.Data;
using SmsRemarketing.Messaging;
using SmsRemarketing.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSmsDatabase();
builder.AddMessaging();
builder.AddApi();
builder.Services.AddLeads();
builder.Services.AddIdempotency();
builder.AddTwilioWebhooks();

var app = builder.Build();
app.UseApi();
// Readiness details (exception text, hosts) to the operator's key too, not only to callers on this machine.
app.MapDefaultEndpoints(context => context.User.IsInRole(ApiAuthentication.AdminScheme));
app.MapApiReference();
app.MapClients();
app.MapCredits();
app.MapLeads();
app.MapTemplates();
app.MapSegments();
app.MapMessages();
app.MapCampaigns();
app.MapTriggers();
app.MapCompliance();
app.MapInbound();
app.MapPrices();
app.MapWebhooks();
app.Run();

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
