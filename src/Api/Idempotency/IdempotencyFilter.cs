using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;

namespace SmsRemarketing.Api.Idempotency;

/// <summary>
/// The <c>Idempotency-Key</c> of an endpoint, so that its handler never mentions it: the header is checked, a
/// key already used answers its first result (or 422 for another request), and a new key is claimed for the
/// handler's commit (<see cref="IdempotentSaves"/>), which records the answer with the writes. A concurrent
/// request that committed the same key first is answered as a retry, also when this one's handler found nothing to
/// write (it ran after that one's writes, before its key could be seen).
/// </summary>
/// <param name="answer">The answer a stored <typeparamref name="TResponse"/> is replayed as, as the handler gave it.</param>
internal sealed class IdempotencyFilter<TRequest, TResponse>(Func<TResponse, IResult> answer) : IEndpointFilter
    where TRequest : class
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(IdempotentRequests.Header, out var values))
        {
            return await next(context);
        }

        var key = values.ToString();
        if (!IdempotentRequests.IsValidKey(key))
        {
            var errors = new ValidationErrors();
            errors.Add(IdempotentRequests.Header, "1 to 255 printable ASCII characters.");
            return errors.ToProblem();
        }

        var services = http.RequestServices;
        var requests = services.GetRequiredService<IdempotentRequests>();
        var db = services.GetRequiredService<SmsDbContext>();
        var clientId = http.User.ClientId();
        var hash = requests.Hash(RouteOf(http.Request), context.Arguments.OfType<TRequest>().Single());
        var seen = await requests.FindAsync<TResponse>(db, clientId, key, hash, http.RequestAborted);
        if (!seen.IsNew)
        {
            return Replay(seen);
        }

        var saves = services.GetRequiredService<IdempotentSaves>();
        saves.ClaimKey(clientId, key, hash);
        try
        {
            var result = await next(context);
            if (saves.Recorded)
            {
                return result;
            }

            // The handler committed nothing under the key (nothing new to write, such as a trigger that had fired for
            // the lead already). If a concurrent request with the key committed meanwhile, its answer is the key's.
            var after = await requests.FindAsync<TResponse>(db, clientId, key, hash, http.RequestAborted);
            return after.IsNew ? result : Replay(after);
        }
        catch (IdempotencyKeyTakenException)
        {
            // A concurrent request with the same key committed first; nothing of this one was written.
            return Replay(await requests.FindAsync<TResponse>(db, clientId, key, hash, http.RequestAborted));
        }
    }

    /// <summary>
    /// The method and path, lower case: the route of <c>POST /triggers/{id}/fire</c> is its trigger's, however the
    /// caller spelt the id, and a key used on one endpoint is another request on the next.
    /// </summary>
    private static string RouteOf(HttpRequest request) =>
        $"{request.Method} {request.Path.Value?.TrimEnd('/').ToLowerInvariant()}";

    private IResult Replay(IdempotencyLookup<TResponse> seen) =>
        seen.IsMismatch
            ? ApiProblems.Unprocessable("This Idempotency-Key was already used with a different request.")
            : answer(seen.Response!);
}
