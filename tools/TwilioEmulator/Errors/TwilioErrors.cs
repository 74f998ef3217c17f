using Microsoft.AspNetCore.Http.HttpResults;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.TwilioEmulator.Errors;

internal static class TwilioErrors
{
    public static JsonHttpResult<TwilioErrorBody> Create(int status, int code, string message) =>
        TypedResults.Json(new TwilioErrorBody(code, message, $"https://www.twilio.com/docs/errors/{code}", status), statusCode: status);

    public static JsonHttpResult<TwilioErrorBody> BadRequest(int code, string message) => Create(StatusCodes.Status400BadRequest, code, message);

    public static JsonHttpResult<TwilioErrorBody> Unauthorized() =>
        Create(StatusCodes.Status401Unauthorized, TwilioErrorCodes.AuthenticationFailed, "Authenticate");

    public static JsonHttpResult<TwilioErrorBody> NotFound(PathString path) =>
        Create(StatusCodes.Status404NotFound, TwilioErrorCodes.NotFound, $"The requested resource {path} was not found");

    public static JsonHttpResult<TwilioErrorBody> TooManyRequests() =>
        Create(StatusCodes.Status429TooManyRequests, TwilioErrorCodes.TooManyRequests, "Too Many Requests");

    public static JsonHttpResult<TwilioErrorBody> InternalServerError() =>
        Create(StatusCodes.Status500InternalServerError, TwilioErrorCodes.InternalServerError, "Internal Server Error");
}
