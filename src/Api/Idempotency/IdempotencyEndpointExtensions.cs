using Microsoft.OpenApi;

namespace SmsRemarketing.Api.Idempotency;

internal static class IdempotencyEndpointExtensions
{
    /// <summary>
    /// Lets the endpoint take an optional <c>Idempotency-Key</c> (<see cref="IdempotencyFilter{TRequest, TResponse}"/>):
    /// its handler commits through <see cref="IdempotentSaves"/>, and a replay answers the stored
    /// <typeparamref name="TResponse"/> as <paramref name="answer"/> makes it.
    /// </summary>
    public static RouteHandlerBuilder WithIdempotencyKey<TRequest, TResponse>(this RouteHandlerBuilder endpoint, Func<TResponse, IResult> answer)
        where TRequest : class =>
        endpoint
            .AddEndpointFilter(new IdempotencyFilter<TRequest, TResponse>(answer))
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = IdempotentRequests.Header,
                    In = ParameterLocation.Header,
                    Description = "Any 1 to 255 printable ASCII characters: a retry with the same key and request answers the first result and does nothing new.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 255 },
                });
                return Task.CompletedTask;
            });
}
