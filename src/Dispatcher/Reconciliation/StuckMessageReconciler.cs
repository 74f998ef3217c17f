using Microsoft.Extensions.Options;
using Npgsql;
using SmsRemarketing.Dispatcher.Sending;
using SmsRemarketing.Domain.Messages.Lifecycle;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.Dispatcher.Reconciliation;

/// <summary>
/// Finishes messages left in <c>sending</c>: a Dispatcher killed mid-send, or an answer from Twilio that was lost
/// and could not be checked at once. Each is looked up at Twilio first and resent only if Twilio never had it.
/// Every Dispatcher runs one; row locks keep them off each other's messages.
/// </summary>
internal sealed partial class StuckMessageReconciler(
    MessageTransitions transitions, SmsSender sender, IOptions<DispatcherOptions> options, ILogger<StuckMessageReconciler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReconcileInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    foreach (var claim in await transitions.TakeOverStuckAsync(options.Value.StuckAfter, 50, stoppingToken))
                    {
                        var outcome = await sender.ResumeAsync(claim, stoppingToken);
                        LogReconciled(claim.Id, outcome);
                    }
                }
                catch (Exception exception) when (exception is NpgsqlException or TwilioApiException or HttpRequestException or TimeoutException)
                {
                    LogFailed(exception.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciled stuck message {MessageId}: {Outcome}")]
    private partial void LogReconciled(Guid messageId, SendOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation round failed ({Error}); trying again next interval")]
    private partial void LogFailed(string error);
}
