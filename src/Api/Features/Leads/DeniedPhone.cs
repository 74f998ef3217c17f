using Microsoft.AspNetCore.Http.HttpResults;
using SmsRemarketing.Domain.Delivery;

namespace SmsRemarketing.Api.Features.Leads;

/// <summary>
/// The 422 of a lead whose phone the client may never text (a denied number type): the number is valid, the client's
/// destination rules refuse it, so nothing is created. Names the field and the rule.
/// </summary>
internal static class DeniedPhone
{
    public static ProblemHttpResult Problem(DestinationRefusal refusal) =>
        TypedResults.Problem(refusal.Detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Destination refused",
            type: "urn:smsremarketing:problem:destination-refused",
            extensions: new Dictionary<string, object?>
            {
                ["reason"] = "destination_refused",
                ["rule"] = refusal.Rule,
                ["country"] = refusal.Destination.Country,
                ["number_type"] = refusal.Destination.NumberType,
                ["errors"] = new Dictionary<string, string[]> { ["phone"] = [refusal.Detail] },
            });
}
