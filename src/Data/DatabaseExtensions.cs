using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace SmsRemarketing.Data;

public static class DatabaseExtensions
{
    /// <summary>
    /// One pooled <see cref="NpgsqlDataSource"/> and a pooled <see cref="SmsDbContext"/> on it, with every
    /// registered EF interceptor (the outbox's among them), and a readiness check.
    /// </summary>
    public static IHostApplicationBuilder AddSmsDatabase(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Database");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("No database configured: set ConnectionStrings__Database or DATABASE_URL.");
        }

        builder.Services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        builder.Services.AddDbContextPool<SmsDbContext>((services, options) => options
            .UseSmsDatabase(services.GetRequiredService<NpgsqlDataSource>())
            .AddInterceptors(services.GetServices<IInterceptor>()));
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("postgresql", tags: ["ready"]);
        return builder;
    }
}
