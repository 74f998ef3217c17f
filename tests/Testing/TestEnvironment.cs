namespace SmsRemarketing.Testing;

/// <summary>
/// Where the test servers are. <c>make test</c> starts them (scripts/infra.sh) and exports these; the defaults
/// match that script, so a test run from an IDE works against a stack started with <c>make infra</c>.
/// </summary>
public static class TestEnvironment
{
    public static string PostgresAdminConnectionString =>
        Environment.GetEnvironmentVariable("SMSR_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=54329;Username=smsr;Password=smsr;Database=postgres";

    public static Uri RabbitManagementUrl =>
        new(Environment.GetEnvironmentVariable("SMSR_TEST_RABBIT_MANAGEMENT") ?? "http://guest:guest@127.0.0.1:15679/");

    public static string RabbitAmqpHostPort =>
        Environment.GetEnvironmentVariable("SMSR_TEST_RABBIT_AMQP") ?? "127.0.0.1:56729";

    /// <summary>Prefix of every database and vhost this run creates, so that a later run can drop leftovers.</summary>
    public static string RunPrefix { get; } =
        $"smsr_t_{Environment.GetEnvironmentVariable("SMSR_TEST_RUN") ?? Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
