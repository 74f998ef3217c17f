using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SmsRemarketing.Data;

/// <summary>Lets <c>dotnet ef</c> build the model without starting a host.</summary>
internal sealed class DesignTimeSmsDbContextFactory : IDesignTimeDbContextFactory<SmsDbContext>
{
    public SmsDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Database")
            ?? "Host=127.0.0.1;Port=54329;Database=smsremarketing;Username=smsr;Password=smsr";
        var options = new DbContextOptionsBuilder<SmsDbContext>();
        options.UseSmsDatabase(connectionString);
        return new SmsDbContext(options.Options);
    }
}
