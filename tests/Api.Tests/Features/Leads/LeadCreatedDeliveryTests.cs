using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SmsRemarketing.Contracts;
using SmsRemarketing.Testing;

namespace SmsRemarketing.Api.Tests.Features.Leads;

/// <summary>End to end through the broker: what the Api commits reaches a real consumer on the test's vhost.</summary>
public sealed class LeadCreatedDeliveryTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task AConsumerReceivesLeadCreatedAndSendSmsRequestedWithTheOutboxIds()
    {
        var received = new ReceivedEvents();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(received);
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddConsumer<LeadCreatedRecorder>();
            bus.AddConsumer<SendSmsRequestedRecorder>();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(new Uri(api.Broker.Url.Replace("amqp://guest:guest@", "rabbitmq://", StringComparison.Ordinal)), host =>
                {
                    host.Username("guest");
                    host.Password("guest");
                });
                rabbit.ConfigureEndpoints(context);
            });
        });
        using var consumers = builder.Build();
        await consumers.StartAsync();
        var bus = consumers.Services.GetRequiredService<IBusControl>();
        await Eventually.WaitAsync(() => bus.CheckHealth().Status == BusHealthStatus.Healthy, "the consumer bus to be healthy");

        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550199", firstName: "Ada");
        var message = (await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hi" })).ReadJsonAsync(HttpStatusCode.Accepted))
            .GetProperty("id").GetGuid();

        await Eventually.WaitAsync(() => received.Leads.Any(e => e.Message.LeadId == lead), "LeadCreated for the new lead");
        await Eventually.WaitAsync(() => received.Sends.Any(e => e.Message.MessageId == message), "SendSmsRequested for the message");
        var leadEvent = received.Leads.Single(e => e.Message.LeadId == lead);
        Assert.Equal("Ada", leadEvent.Message.FirstName);
        Assert.Equal(tenant.Id, leadEvent.Message.ClientId);
        var outboxId = await api.Database.ScalarAsync<Guid>(
            "SELECT id FROM outbox_messages WHERE message_type LIKE '%LeadCreated' AND body::jsonb ->> 'leadId' = $1", lead.ToString());
        Assert.Equal(outboxId, leadEvent.MessageId);
        await consumers.StopAsync();
    }

    public sealed class ReceivedEvents
    {
        public ConcurrentBag<(Guid? MessageId, LeadCreated Message)> Leads { get; } = [];
        public ConcurrentBag<(Guid? MessageId, SendSmsRequested Message)> Sends { get; } = [];
    }

    public sealed class LeadCreatedRecorder(ReceivedEvents received) : IConsumer<LeadCreated>
    {
        public Task Consume(ConsumeContext<LeadCreated> context)
        {
            received.Leads.Add((context.MessageId, context.Message));
            return Task.CompletedTask;
        }
    }

    public sealed class SendSmsRequestedRecorder(ReceivedEvents received) : IConsumer<SendSmsRequested>
    {
        public Task Consume(ConsumeContext<SendSmsRequested> context)
        {
            received.Sends.Add((context.MessageId, context.Message));
            return Task.CompletedTask;
        }
    }
}
