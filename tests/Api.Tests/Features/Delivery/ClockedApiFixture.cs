using Microsoft.Extensions.DependencyInjection;
using SmsRemarketing.Testing;

namespace SmsRemarketing.Api.Tests.Features.Delivery;

/// <summary>The Api with a clock each test sets, for sends whose outcome depends on the time of day.</summary>
public sealed class ClockedApiFixture : ApiFixture
{
    public ManualTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}
