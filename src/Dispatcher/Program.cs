using MassTransit;
using SmsRemarketing.Data;
using SmsRemarketing.Dispatcher;
using SmsRemarketing.Dispatcher.Sending;
using SmsRemarketing.Messaging;
using SmsRemarketing.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSmsDatabase();
builder.AddSending();
builder.AddMessaging(bus =>
{
    bus.AddConsumer<SendSmsConsumer, SendSmsConsumerDefinition>();
    bus.AddConsumer<SendCampaignSmsConsumer, SendCampaignSmsConsumerDefinition>();
});

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
