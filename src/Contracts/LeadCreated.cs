namespace SmsRemarketing.Contracts;

/// <summary>
/// A lead appeared. Published by the Api when a lead is created, or by another system straight to RabbitMQ
/// (exchange <c>SmsRemarketing.Contracts:LeadCreated</c>). <see cref="LeadId"/> is set when the lead already
/// exists in our database; otherwise the lead is created or matched by (<see cref="ClientId"/>, <see cref="Phone"/>).
/// </summary>
public sealed record LeadCreated
{
    public required Guid ClientId { get; init; }
    public Guid? LeadId { get; init; }
    public required string Phone { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Email { get; init; }
    public IReadOnlyDictionary<string, object?>? CustomFields { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}
