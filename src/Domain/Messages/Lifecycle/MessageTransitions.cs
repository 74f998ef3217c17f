using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Campaigns;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Consent;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Domain.Consent;
using SmsRemarketing.Domain.Delivery;

namespace SmsRemarketing.Domain.Messages.Lifecycle;

/// <summary>
/// The state changes of a message from <c>queued</c> on (see <see cref="MessageLifecycle"/>), each one SQL statement
/// or transaction; the two every SMS makes (the claim and the 'sent' mark) are shared by concurrent senders. Every
/// change names the state it leaves (<c>WHERE status = …</c>), so a duplicate or late caller changes nothing.
/// </summary>
public sealed class MessageTransitions : IAsyncDisposable
{
    private static readonly string Queued = MessageLifecycle.Queued;
    private static readonly string Sending = MessageLifecycle.Sending;

    private readonly NpgsqlDataSource _dataSource;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly GroupCommit<Guid, (ClaimedMessage? Claim, SendOutcome? Settled)> _claims;
    private readonly GroupCommit<SentMark, bool> _sentMarks;

    /// <param name="dataSource">The database.</param>
    /// <param name="scopes">For the rare step that goes through a DbContext (an opt-out's <see cref="PhoneConsents"/>).</param>
    /// <param name="time">The clock the rules are applied at.</param>
    /// <param name="maxBatch">The most claims (or 'sent' marks) that share one transaction.</param>
    public MessageTransitions(NpgsqlDataSource dataSource, IServiceScopeFactory scopes, TimeProvider time, int maxBatch)
    {
        _dataSource = dataSource;
        _scopes = scopes;
        _time = time;
        _claims = new(ClaimManyAsync, maxBatch);
        _sentMarks = new(MarkManySentAsync, maxBatch);
    }

    /// <summary>
    /// queued → sending, with the credit debit, in one transaction shared with whatever other claims are waiting
    /// (<see cref="GroupCommit{TItem,TResult}"/>); this is the last check before Twilio is called, so
    /// <see cref="SendEligibility"/> is applied here to the client and lead as they are now. A message that may not
    /// go is settled as <see cref="Eligibility.ForRecordedMessage"/> says, with no debit (outside its window or over
    /// the cap: back to <c>scheduled</c>); the returned outcome says which. Null claim: the message is not queued (a
    /// duplicate delivery, or it no longer exists).
    /// </summary>
    public Task<(ClaimedMessage? Claim, SendOutcome? Settled)> ClaimAsync(Guid messageId, CancellationToken cancellationToken) =>
        _claims.RunAsync(messageId, cancellationToken);

    /// <summary>sending → sent, with Twilio's SID, in one statement shared with the other marks waiting.</summary>
    public Task MarkSentAsync(Guid messageId, string sid, string? from, CancellationToken cancellationToken) =>
        _sentMarks.RunAsync(new SentMark(messageId, sid, from), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _claims.DisposeAsync();
        await _sentMarks.DisposeAsync();
    }

    private async Task<IReadOnlyList<(ClaimedMessage? Claim, SendOutcome? Settled)>> ClaimManyAsync(
        IReadOnlyList<Guid> messageIds, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The clients first: racing debits of one client queue here, before anything is claimed. The claim's clock
        // (last_attempt_at, the reconciler's) is the claim statement's start, after that wait, so a claim never commits
        // already looking abandoned, without a second UPDATE of every claimed row to restamp it.
        var clients = await ReadClientsAsync(connection, transaction, messageIds, lockRows: true, cancellationToken);

        // Rows locked in id order (clients, then messages), so two Dispatchers claiming overlapping batches queue
        // instead of deadlocking. NO KEY UPDATE: new messages and ledger rows that only reference these rows go on.
        var rows = await ReadClaimsAsync(connection, transaction, $"""
            WITH locked AS (
                SELECT id FROM messages WHERE id = ANY($1) AND status = '{Queued}' ORDER BY id FOR NO KEY UPDATE),
            claimed AS (
                UPDATE messages m SET status = '{Sending}', attempts = attempts + 1, last_attempt_at = statement_timestamp(), updated_at = now()
                FROM locked WHERE m.id = locked.id
                RETURNING m.*)
            SELECT {ClaimColumns("c.last_attempt_at", PrepaidByAnEarlierClaim)}
            FROM claimed c JOIN leads l ON l.id = c.lead_id
            """, command => command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. messageIds] }), cancellationToken);

        var verdicts = await JudgeAsync(connection, transaction, rows, clients, cancellationToken);
        var settled = rows.Where(row => !verdicts[row.Claim.Id].IsEligible)
            .ToDictionary(row => row.Claim.Id, row => verdicts[row.Claim.Id].ForRecordedMessage!);
        await SettleManyAsync(connection, transaction, settled, cancellationToken);
        await DebitAsync(connection, transaction, [.. rows.Where(row => !row.Prepaid && !settled.ContainsKey(row.Claim.Id)).Select(row => row.Claim)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // One claim per message: the same id twice in a batch (a duplicate delivery) gets the claim once.
        var claims = rows.ToDictionary(row => row.Claim.Id, row => row.Claim);
        var results = new List<(ClaimedMessage?, SendOutcome?)>(messageIds.Count);
        foreach (var id in messageIds)
        {
            results.Add(claims.Remove(id, out var claim)
                ? (claim, settled.TryGetValue(id, out var outcome) ? MessageLifecycle.OutcomeOf(outcome.Status) : null)
                : (null, SendOutcome.Duplicate));
        }

        return results;
    }

    private async Task<IReadOnlyList<bool>> MarkManySentAsync(IReadOnlyList<SentMark> marks, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"""
            UPDATE messages m SET status = '{MessageLifecycle.Sent}', twilio_sid = s.sid, from_phone = coalesce(s.from_phone, m.from_phone),
                error_code = NULL, error_message = NULL, sent_at = now(), updated_at = now()
            FROM unnest($1::uuid[], $2::text[], $3::text[]) AS s(id, sid, from_phone)
            WHERE m.id = s.id AND m.status = '{Sending}'
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. marks.Select(mark => mark.MessageId)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. marks.Select(mark => mark.Sid)] });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. marks.Select(mark => mark.From)] });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return [.. marks.Select(_ => true)];
    }

    /// <summary>The message's hold, or null when it is no longer <c>sending</c>.</summary>
    public async Task<SendingHold?> ReadHoldAsync(Guid messageId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"SELECT last_attempt_at, twilio_sid FROM messages WHERE id = $1 AND status = '{Sending}'");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = messageId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new SendingHold(reader.GetFieldValue<DateTimeOffset>(0), reader.IsDBNull(1) ? null : reader.GetString(1))
            : null;
    }

    /// <summary>
    /// Takes the next request to Twilio: only while the message is still <c>sending</c>, has no SID, and is still held
    /// since <paramref name="heldSince"/> (no reconciler or other sender took it over, no rule or callback settled it).
    /// Moves its clock (so no reconciler takes it over while the request is in flight) and counts the attempt when
    /// <paramref name="countAttempt"/>. Null when the hold is lost: then no request may be made.
    /// </summary>
    public async Task<DateTimeOffset?> TakeAttemptAsync(Guid messageId, DateTimeOffset heldSince, bool countAttempt, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"""
            UPDATE messages SET attempts = attempts + $3, last_attempt_at = now(), updated_at = now()
            WHERE id = $1 AND status = '{Sending}' AND twilio_sid IS NULL AND last_attempt_at = $2
            RETURNING last_attempt_at
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = messageId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = heldSince });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = countAttempt ? 1 : 0 });
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime moved
            ? new DateTimeOffset(moved, TimeSpan.Zero)
            : null;
    }

    /// <summary>
    /// sending → failed with Twilio's code and message (the debit comes back: see <see cref="MessageLifecycle"/>).
    /// <paramref name="optOutLead"/> first records a 21610 (the recipient opted out at Twilio) as the number's opt-out,
    /// through <see cref="PhoneConsents"/> like every other opt-out.
    /// </summary>
    public async Task MarkFailedAsync(ClaimedMessage claim, int? code, string error, bool optOutLead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        if (optOutLead)
        {
            // Before the settle: a crash between the two leaves the message stuck in sending, and the reconciler then
            // finds the number opted out and settles it suppressed.
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SmsDbContext>();
            await PhoneConsents.OptOutAsync(db, claim.ClientId, claim.To, ConsentEventSource.TwilioError21610,
                $"Twilio refused message {claim.Id} with 21610.", _time.GetUtcNow(), cancellationToken);
        }

        await using var command = _dataSource.CreateCommand($"""
            UPDATE messages SET status = '{MessageLifecycle.Failed}', error_code = $2, error_message = left($3, 1000), updated_at = now()
            WHERE id = $1 AND status = '{Sending}'
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = claim.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)code ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = error });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// sending → where <paramref name="outcome"/> says (a taken-over message Twilio turned out not to have, that may
    /// not go now). A message sent back to <c>scheduled</c> keeps its debit and is claimed again as prepaid.
    /// </summary>
    public async Task SettleAsync(ClaimedMessage claim, RecordedOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(outcome);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await SettleManyAsync(connection, null, new Dictionary<Guid, RecordedOutcome> { [claim.Id] = outcome }, cancellationToken);
    }

    /// <summary>Leaves the message in <c>sending</c> with a note, for the reconciler.</summary>
    public async Task MarkUnknownAsync(Guid messageId, string reason, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            $"UPDATE messages SET error_message = left($2, 1000), updated_at = now() WHERE id = $1 AND status = '{Sending}'");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = messageId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"Outcome unknown, reconciling with Twilio: {reason}" });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Which of <paramref name="sids"/> are already recorded on one of our messages (a look-up never takes one twice).</summary>
    public async Task<HashSet<string>> KnownSidsAsync(IReadOnlyCollection<string> sids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sids);
        var known = new HashSet<string>(StringComparer.Ordinal);
        if (sids.Count == 0)
        {
            return known;
        }

        await using var command = _dataSource.CreateCommand("SELECT twilio_sid FROM messages WHERE twilio_sid = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. sids] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            known.Add(reader.GetString(0));
        }

        return known;
    }

    /// <summary>
    /// Which of <paramref name="bodies"/> are exactly the body of another message of ours to <paramref name="leadId"/>
    /// than <paramref name="messageId"/>: a message at Twilio with such a body is that one's, not this one's.
    /// </summary>
    public async Task<HashSet<string>> BodiesOfOtherMessagesAsync(
        Guid messageId, Guid leadId, IReadOnlyCollection<string> bodies, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bodies);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        if (bodies.Count == 0)
        {
            return taken;
        }

        // By lead (indexed): a client's number is one lead's, so its other messages to that number are the lead's.
        await using var command = _dataSource.CreateCommand("SELECT DISTINCT body FROM messages WHERE lead_id = $1 AND id <> $2 AND body = ANY($3)");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = leadId });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = messageId });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. bodies] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            taken.Add(reader.GetString(0));
        }

        return taken;
    }

    /// <summary>
    /// Takes over messages stuck in <c>sending</c> (their Dispatcher died or Twilio's answer never came) by moving
    /// their clock, so two reconcilers never work on the same message at once, and applies
    /// <see cref="SendEligibility"/> before anything is looked up or sent: a lead that opted out meanwhile or a client
    /// deactivated meanwhile settles the message at once (its debit comes back). One outside its window or over the cap
    /// is returned with <see cref="ClaimedMessage.UnlessAtTwilio"/>: it waits, unless Twilio already has it. Its
    /// <see cref="ClaimedMessage.AttemptStartedAt"/> is when it was queued: any of its earlier attempts may have
    /// reached Twilio.
    /// </summary>
    public async Task<List<ClaimedMessage>> TakeOverStuckAsync(TimeSpan stuckAfter, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = await ReadClaimsAsync(connection, transaction, $"""
            WITH stuck AS (
                SELECT id FROM messages
                WHERE status = '{Sending}' AND last_attempt_at < now() - $1
                ORDER BY last_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED),
            taken AS (
                UPDATE messages m SET last_attempt_at = now(), updated_at = now()
                FROM stuck WHERE m.id = stuck.id
                RETURNING m.*)
            SELECT {ClaimColumns("coalesce(c.queued_at, c.created_at)", prepaid: "true")}
            FROM taken c JOIN leads l ON l.id = c.lead_id
            """, command =>
            {
                command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = stuckAfter });
                command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            }, cancellationToken);
        if (rows.Count == 0)
        {
            return [];
        }

        var clients = await ReadClientsAsync(connection, transaction, [.. rows.Select(row => row.Claim.Id)], lockRows: false, cancellationToken);
        var verdicts = await JudgeAsync(connection, transaction, rows, clients, cancellationToken);
        var settledNow = new Dictionary<Guid, RecordedOutcome>();
        var resumable = new List<ClaimedMessage>();
        foreach (var row in rows)
        {
            var verdict = verdicts[row.Claim.Id];
            if (verdict.Outcome is EligibilityOutcome.ClientInactive or EligibilityOutcome.OptedOut)
            {
                settledNow[row.Claim.Id] = verdict.ForRecordedMessage!;
            }
            else
            {
                resumable.Add(row.Claim with { UnlessAtTwilio = verdict.ForRecordedMessage });
            }
        }

        await SettleManyAsync(connection, transaction, settledNow, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return resumable;
    }

    /// <summary>
    /// Whether a claimed row <c>c</c> was debited by an earlier claim and never refunded (taken over, then sent back
    /// to wait). Only a row claimed before can be: a first claim (attempts now 1) reads no ledger.
    /// </summary>
    private const string PrepaidByAnEarlierClaim = """
        CASE WHEN c.attempts > 1 THEN
            EXISTS (SELECT 1 FROM credit_transactions d WHERE d.message_id = c.id AND d.kind = 'sms_debit')
            AND NOT EXISTS (SELECT 1 FROM credit_transactions r WHERE r.message_id = c.id AND r.kind = 'refund')
        ELSE false END
        """;

    /// <summary>
    /// The columns <see cref="ReadClaimsAsync"/> reads, from a claimed row <c>c</c> joined to its lead <c>l</c>. The
    /// opt-out is read from the number the message goes to (a lead whose phone changed since keeps the new number's).
    /// A message in <c>sending</c> is always paid for, so a take-over passes <c>true</c> for <paramref name="prepaid"/>.
    /// </summary>
    private static string ClaimColumns(string attemptStartedAt, string prepaid) => $"""
        c.id, c.client_id, c.lead_id, c.to_phone, c.body, {attemptStartedAt}, c.credit_cost,
        c.source <> '{MessageLifecycle.Manual}', c.category, c.queued_at, l.timezone,
        (SELECT pc.opted_out_at FROM phone_consents pc WHERE pc.client_id = c.client_id AND pc.phone = c.to_phone), {prepaid},
        l.awaiting_confirmation_since IS NOT NULL, c.source = '{MessageLifecycle.Confirmation}', c.campaign_id IS NOT NULL,
        (SELECT cp.status FROM campaigns cp WHERE cp.id = c.campaign_id)
        """;

    private static async Task<List<ClaimRow>> ReadClaimsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, Action<NpgsqlCommand> bind, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        bind(command);
        var rows = new List<ClaimRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var to = reader.GetString(3);
            rows.Add(new ClaimRow(
                new ClaimedMessage(reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), to, reader.GetString(4), null, null,
                    reader.GetFieldValue<DateTimeOffset>(5), reader.GetInt32(6)),
                Automated: reader.GetBoolean(7),
                Category: SnakeCaseEnumConverter.Parse<MessageCategory>(reader.GetString(8)),
                QueuedAt: reader.IsDBNull(9) ? DateTimeOffset.MinValue : reader.GetFieldValue<DateTimeOffset>(9),
                new Recipient(to, reader.IsDBNull(10) ? null : reader.GetString(10),
                    reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11), AwaitingConfirmation: reader.GetBoolean(13)),
                Prepaid: reader.GetBoolean(12),
                Confirmation: reader.GetBoolean(14),
                Held: reader.GetBoolean(15),
                Campaign: reader.IsDBNull(16) ? null : SnakeCaseEnumConverter.Parse<CampaignStatus>(reader.GetString(16))));
        }

        return rows;
    }

    /// <summary>
    /// The clients of the given messages with their policy and balance, in id order; locked with
    /// <paramref name="lockRows"/> (whatever the messages' status: the claim that follows may find a message that was
    /// released from <c>scheduled</c> meanwhile).
    /// </summary>
    private static async Task<Dictionary<Guid, ClientState>> ReadClientsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<Guid> messageIds, bool lockRows, CancellationToken cancellationToken)
    {
        var clients = new Dictionary<Guid, ClientState>();
        await using var command = new NpgsqlCommand($"""
            SELECT id, credit_balance - credits_reserved, is_active, timezone, quiet_hours_enabled, sending_window_start, sending_window_end,
                   frequency_caps::text, frequency_cap_action, from_number, messaging_service_sid,
                   home_country, allowed_countries, denied_number_types, daily_message_cap, daily_credit_cap, allowed_categories
            FROM clients
            WHERE id IN (SELECT client_id FROM messages WHERE id = ANY($1))
            ORDER BY id {(lockRows ? "FOR NO KEY UPDATE" : "")}
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. messageIds] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var policy = new SendingPolicy(
                reader.GetBoolean(2), reader.GetInt64(1), reader.GetString(3), reader.GetBoolean(4),
                reader.GetFieldValue<TimeOnly>(5), reader.GetFieldValue<TimeOnly>(6),
                FrequencyCapsJson.Parse(reader.GetString(7)), SnakeCaseEnumConverter.Parse<FrequencyCapAction>(reader.GetString(8)),
                [.. reader.GetFieldValue<string[]>(16).Select(SnakeCaseEnumConverter.Parse<MessageCategory>)],
                new DestinationPolicy(reader.GetString(11), reader.GetFieldValue<string[]>(12), reader.GetFieldValue<string[]>(13),
                    reader.IsDBNull(14) ? null : reader.GetInt32(14), reader.IsDBNull(15) ? null : reader.GetInt64(15)));
            clients[reader.GetGuid(0)] = new ClientState(policy,
                reader.IsDBNull(9) ? null : reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10));
        }

        return clients;
    }

    /// <summary>
    /// <see cref="SendEligibility"/> for each claimed row, oldest queued first: each client's balance as its earlier
    /// rows left it, and each lead's frequency cap over its automated messages queued before this one (a row that
    /// may not go now counts for none after it). Fills in each claim's sender from its client.
    /// </summary>
    private async Task<Dictionary<Guid, Eligibility>> JudgeAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<ClaimRow> rows, Dictionary<Guid, ClientState> clients,
        CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var history = await CapHistoryAsync(connection, transaction, rows, clients, now, cancellationToken);
        var spent = await SpentTodayAsync(connection, transaction, rows, clients, now, cancellationToken);
        var verdicts = new Dictionary<Guid, Eligibility>();
        for (var i = 0; i < rows.Count; i++)
        {
            var client = clients[rows[i].Claim.ClientId];
            rows[i] = rows[i] with { Claim = rows[i].Claim with { ClientFromNumber = client.FromNumber, ClientMessagingServiceSid = client.MessagingServiceSid } };
        }

        foreach (var row in rows.OrderBy(r => r.QueuedAt).ThenBy(r => r.Claim.Id))
        {
            var client = clients[row.Claim.ClientId];
            var others = history.GetValueOrDefault(row.Claim.LeadId) ?? [];
            var earlier = others.Where(send => send.Id != row.Claim.Id
                && (send.QueuedAt < row.QueuedAt || (send.QueuedAt == row.QueuedAt && send.Id.CompareTo(row.Claim.Id) < 0)));
            var verdict = SendEligibility.Check(client.Policy with { CreditsAvailable = client.Balance }, row.Recipient,
                new SendFacts(row.Claim.CreditCost, row.Automated, row.Category, row.Prepaid, row.Confirmation, row.Held, row.Campaign), earlier.Select(send => send.QueuedAt), now,
                spent.GetValueOrDefault(row.Claim.ClientId));
            if (verdict.IsEligible && !row.Prepaid)
            {
                // A campaign's message is paid from its reservation: what the client may spend otherwise is unchanged.
                client.Balance -= row.Held ? 0 : row.Claim.CreditCost;
                spent.GetValueOrDefault(row.Claim.ClientId)?.Add(row.Claim.CreditCost);
            }
            else if (!verdict.IsEligible)
            {
                others.RemoveAll(send => send.Id == row.Claim.Id);
            }

            verdicts[row.Claim.Id] = verdict;
        }

        return verdicts;
    }

    /// <summary>
    /// The counted automated messages (<see cref="FrequencyCap"/>) of the leads whose claimed rows the cap applies to,
    /// within the longest window of their clients' rules, in one query; none when no row is capped.
    /// </summary>
    private static async Task<Dictionary<Guid, List<CountedSend>>> CapHistoryAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<ClaimRow> rows, Dictionary<Guid, ClientState> clients,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var capped = rows.Where(row => row.Automated && row.Recipient.OptedOutAt is null
            && clients[row.Claim.ClientId].Policy is { IsActive: true, FrequencyCaps.Count: > 0 } policy
            && policy.RulesFor(row.Category) == MessageCategory.Marketing).ToList();
        var history = new Dictionary<Guid, List<CountedSend>>();
        if (capped.Count == 0)
        {
            return history;
        }

        var horizon = capped.Max(row => FrequencyCap.Horizon(clients[row.Claim.ClientId].Policy.FrequencyCaps));
        await using var command = new NpgsqlCommand($"""
            SELECT id, lead_id, queued_at FROM messages
            WHERE lead_id = ANY($1) AND source <> '{MessageLifecycle.Manual}'
              AND status IN ({MessageLifecycle.CappedStatusList}) AND queued_at > $2
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. capped.Select(row => row.Claim.LeadId).Distinct()] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now - horizon });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var leadId = reader.GetGuid(1);
            if (!history.TryGetValue(leadId, out var sends))
            {
                history[leadId] = sends = [];
            }

            sends.Add(new CountedSend(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return history;
    }

    /// <summary>
    /// What each client with a daily cap (and a row to pay for) has spent today: its debits of its local day not
    /// refunded, in one query on <c>credit_transactions (client_id, created_at)</c>. Race-free at the claim: the
    /// client rows are locked, so no other claim of the client debits until this one commits.
    /// </summary>
    private static async Task<Dictionary<Guid, DailySpend>> SpentTodayAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<ClaimRow> rows, Dictionary<Guid, ClientState> clients,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var capped = rows.Where(row => !row.Prepaid).Select(row => row.Claim.ClientId).Distinct()
            .Where(id => clients[id].Policy.Destinations.HasDailyCap)
            .ToDictionary(id => id, id => DailySpend.Today(clients[id].Policy.Timezone, now));
        var spent = new Dictionary<Guid, DailySpend>();
        if (capped.Count == 0)
        {
            return spent;
        }

        await using var command = new NpgsqlCommand("""
            SELECT c.client_id, count(d.id), coalesce(sum(-d.amount), 0)::bigint
            FROM unnest($1::uuid[], $2::timestamptz[]) AS c(client_id, day_start)
            LEFT JOIN credit_transactions d ON d.client_id = c.client_id AND d.kind = 'sms_debit' AND d.created_at >= c.day_start
              AND NOT EXISTS (SELECT 1 FROM credit_transactions r WHERE r.message_id = d.message_id AND r.kind = 'refund')
            GROUP BY c.client_id
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. capped.Keys] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. capped.Values.Select(day => day.Start)] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var clientId = reader.GetGuid(0);
            spent[clientId] = new DailySpend(reader.GetInt64(1), reader.GetInt64(2), capped[clientId].End);
        }

        return spent;
    }

    /// <summary>sending → each message's recorded outcome, in one statement.</summary>
    private static async Task SettleManyAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Dictionary<Guid, RecordedOutcome> settled, CancellationToken cancellationToken)
    {
        if (settled.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand($"""
            UPDATE messages m SET status = s.status, error_message = left(s.error, 1000),
                send_after = coalesce(s.send_after, m.send_after), updated_at = now()
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[]) AS s(id, status, error, send_after)
            WHERE m.id = s.id AND m.status = '{Sending}'
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. settled.Keys] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. settled.Values.Select(s => MessageLifecycle.Name(s.Status))] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. settled.Values.Select(s => s.Reason)] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?[]> { TypedValue = [.. settled.Values.Select(s => s.SendAfter)] });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Debits each claim's cost (the balances were checked by <see cref="JudgeAsync"/> under the clients' locks). A
    /// campaign's message is debited with its campaign, so the ledger's trigger takes it from the campaign's reservation.
    /// </summary>
    private static async Task DebitAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<ClaimedMessage> paid, CancellationToken cancellationToken)
    {
        if (paid.Count == 0)
        {
            return;
        }

        await using var debit = new NpgsqlCommand("""
            INSERT INTO credit_transactions (client_id, amount, kind, message_id, campaign_id, created_at)
            SELECT d.client_id, -d.cost, 'sms_debit', d.message_id, m.campaign_id, now()
            FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS d(client_id, message_id, cost) JOIN messages m ON m.id = d.message_id
            ON CONFLICT (message_id, kind) WHERE message_id IS NOT NULL DO NOTHING
            """, connection, transaction);
        debit.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. paid.Select(c => c.ClientId)] });
        debit.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. paid.Select(c => c.Id)] });
        debit.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. paid.Select(c => c.CreditCost)] });
        await debit.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed record SentMark(Guid MessageId, string Sid, string? From);

    private sealed record ClaimRow(
        ClaimedMessage Claim, bool Automated, MessageCategory Category, DateTimeOffset QueuedAt, Recipient Recipient, bool Prepaid, bool Confirmation,
        bool Held, CampaignStatus? Campaign);

    private sealed record CountedSend(Guid Id, DateTimeOffset QueuedAt);

    /// <summary>A client's policy as read, and what it may spend (balance less campaign holds) as this batch's earlier debits leave it.</summary>
    private sealed class ClientState(SendingPolicy policy, string? fromNumber, string? messagingServiceSid)
    {
        public SendingPolicy Policy { get; } = policy;
        public string? FromNumber { get; } = fromNumber;
        public string? MessagingServiceSid { get; } = messagingServiceSid;
        public long Balance { get; set; } = policy.CreditsAvailable;
    }
}
