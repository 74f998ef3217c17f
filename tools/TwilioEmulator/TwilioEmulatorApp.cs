using Microsoft.Extensions.Configuration.Memory;
using SmsRemarketing.TwilioEmulator.Accounts;
using SmsRemarketing.TwilioEmulator.Callbacks;
using SmsRemarketing.TwilioEmulator.Faults;
using SmsRemarketing.TwilioEmulator.Inspection;
using SmsRemarketing.TwilioEmulator.Messages;

namespace SmsRemarketing.TwilioEmulator;

/// <summary>The emulator as a <see cref="WebApplication"/>: Program.cs runs it, tests host it in-process.</summary>
public static class TwilioEmulatorApp
{
    /// <param name="args">Command-line arguments (<c>--urls</c>, <c>--Emulator:AccountSid=…</c>).</param>
    /// <param name="settings">Extra configuration that wins over environment variables and arguments (tests).</param>
    public static WebApplication Build(string[] args, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(TwilioEmulatorApp).Assembly.GetName().Name,
            // No appsettings.json on purpose: defaults live in code, so a host that references this project
            // does not get a second appsettings.json copied next to its own.
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Lowest-precedence defaults, so environment variables and arguments still override them: per-request
        // logs would dominate a benchmark.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning", // four lines per status callback otherwise
            },
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddEmulatorAccount(builder.Configuration);
        builder.Services.AddMessageStore();
        builder.Services.AddFaults(builder.Configuration);
        builder.Services.AddStatusCallbacks();
        builder.Services.AddInspection();
        builder.Services.AddHealthChecks();

        var app = builder.Build();
        app.MapTwilioMessages();
        app.MapFaults();
        app.MapInspection();
        app.MapHealthChecks("/health");
        return app;
    }
}
