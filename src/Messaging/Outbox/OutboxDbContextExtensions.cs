using System.Diagnostics;
using System.Text.Json;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Outbox;

namespace SmsRemarketing.Messaging.Outbox;

public static class OutboxDbContextExtensions
{
    /// <summary>
    /// Adds <paramref name="message"/> to the outbox in this context's unit of work: it is published only if
    /// the next <c>SaveChanges</c> (or the surrounding transaction) commits, and then surely. Returns the row;
    /// its <see cref="OutboxMessage.Id"/> is the MassTransit MessageId consumers will see.
    /// </summary>
    public static OutboxMessage AddOutboxMessage<T>(this SmsDbContext db, T message) where T : class
    {
        var activity = Activity.Current;
        var row = new OutboxMessage
        {
            MessageType = OutboxMessageTypes.NameOf(typeof(T)),
            Body = JsonSerializer.Serialize(message, OutboxJson.Options),
            TraceParent = activity?.IdFormat == ActivityIdFormat.W3C ? activity.Id : null,
            TraceState = activity?.TraceStateString,
        };
        db.OutboxMessages.Add(row);
        return row;
    }
}
