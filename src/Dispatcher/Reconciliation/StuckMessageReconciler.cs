using Microsoft.Extensions.Options;
using SmsRemarketing.Dispatcher.Sending;
using SmsRemarketing.Domain.Messages.Lifecycle;

namespace SmsRemarketing.Dispatcher.Reconciliation;

/// <summary>
/// Finishes messages left in <c>sending</c>: a Dispatcher killed mid-send, or an answer from Twilio that was lost
/// and could not be checked at once. Each is looked up first and resent only if Twilio never had it.
/// Every Dispatcher runs one; row locks keep them off each other's messages. A failure of one message (a look-up that
/// times out, a broken connection, a bug) is that message's: it stays <c>sending</c> for a later round, and the loop
/// goes on; only the host's shutdown ends it.
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
                await ReconcileRoundAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ReconcileRoundAsync(CancellationToken stoppingToken)
    {
        List<ClaimedMessage> claims;
        try
        {
            claims = await transitions.TakeOverStuckAsync(options.Value.StuckAfter, 50, stoppingToken);
        }
        catch (Exception exception) when (!IsShutdown(exception, stoppingToken))
        {
            LogRoundFailed(exception);
            return;
        }

        foreach (var claim in claims)
        {
            try
            {
                var outcome = await sender.ResumeAsync(claim, stoppingToken);
                LogReconciled(claim.Id, outcome);
            }
            catch (Exception exception) when (!IsShutdown(exception, stoppingToken))
            {
                LogMessageFailed(exception, claim.Id);
            }
        }
    }

    private static bool IsShutdown(Exception exception, CancellationToken stoppingToken) =>
        exception is OperationCanceledException && stoppingToken.IsCancellationRequested;

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciled stuck message {MessageId}: {Outcome}")]
    private partial void LogReconciled(Guid messageId, SendOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciling stuck message {MessageId} failed; it stays sending for a later round")]
    private partial void LogMessageFailed(Exception exception, Guid messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation round failed; trying again next interval")]
    private partial void LogRoundFailed(Exception exception);
}
