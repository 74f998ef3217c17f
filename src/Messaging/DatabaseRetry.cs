using MassTransit;
using Npgsql;

namespace SmsRemarketing.Messaging;

/// <summary>The one retry layer of the consumers that write to the database.</summary>
public static class DatabaseRetry
{
    /// <summary>
    /// Retries a transient database fault (<see cref="IsTransient"/>) for as long as it lasts, in memory, with the
    /// message unacknowledged: a database outage of any length ends with the message handled, never in the
    /// <c>_error</c> queue. Any other fault is not retried (a message that cannot be handled goes to <c>_error</c> at
    /// once). No broker-side redelivery: the broker has no delayed-message exchange, and a second layer would
    /// multiply the first.
    /// </summary>
    public static void UseDatabaseRetry(
        this IReceiveEndpointConfigurator endpoint, DatabaseRetryOptions options, Action<IRetryConfigurator>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        endpoint.UseMessageRetry(retry =>
        {
            configure?.Invoke(retry);
            retry.Handle<Exception>(IsTransient);
            // The policy stops growing its intervals at MaxDelay, so an unbounded limit costs no memory.
            retry.Exponential(int.MaxValue, options.MinDelay, options.MaxDelay, options.MinDelay * 2.5);
        });
    }

    /// <summary>
    /// A fault that says the database is away or overloaded (connection refused or lost, a timeout, a shutdown, a
    /// serialization failure), anywhere in the exception chain (EF Core wraps Npgsql's).
    /// </summary>
    public static bool IsTransient(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case NpgsqlException npgsql:
                    return npgsql.IsTransient;
                case TimeoutException:
                    return true;
            }
        }

        return false;
    }
}
