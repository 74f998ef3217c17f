using System.Diagnostics;
using System.Globalization;

namespace SmsRemarketing.Chaos;

/// <summary>
/// The faults, done to the private stack only: processes are found through the pid files scripts/stack.sh wrote
/// under this run's directory, and servers are stopped through scripts/infra.sh with this run's environment
/// (its own ports, data folders and RabbitMQ node), which scripts/chaos.sh set.
/// </summary>
internal sealed class StackControl(ChaosSettings settings)
{
    /// <summary>SIGKILL: no shutdown hook runs, no message is acknowledged or marked, as when a machine dies.</summary>
    public void Kill(string service)
    {
        var pidFile = Path.Combine(settings.RunDir, "pids", $"{service}.pid");
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        using var process = Process.GetProcessById(pid);
        process.Kill();
        process.WaitForExit();
        Console.Error.WriteLine($"  killed {service} (pid {pid}) with SIGKILL");
    }

    /// <summary>Starts a service (or an extra instance on <paramref name="port"/>) and waits for its health check.</summary>
    public Task StartAsync(string service, int? port = null) =>
        RunAsync("stack.sh", port is { } p ? ["start", service, p.ToString(CultureInfo.InvariantCulture)] : ["start", service]);

    /// <summary>The servers and the four services of the stack back up, after a scenario that failed half-way.</summary>
    public async Task EnsureRunningAsync()
    {
        await StartPostgresAsync();
        await StartRabbitMqAsync();
        foreach (var service in new[] { "twilio-emulator", "api", "dispatcher", "scheduler" })
        {
            await StartAsync(service);
        }
    }

    public Task StopAsync(string service) => RunAsync("stack.sh", ["stop", service]);

    public Task StopRabbitMqAsync() => RunAsync("infra.sh", ["rabbit-down"]);

    public Task StartRabbitMqAsync() => RunAsync("infra.sh", ["rabbit-up"]);

    public Task RestartPostgresAsync() => RunAsync("infra.sh", ["pg-restart"]);

    /// <summary>A fast shutdown: every connection is cut and new ones are refused until <see cref="StartPostgresAsync"/>.</summary>
    public Task StopPostgresAsync() => RunAsync("infra.sh", ["pg-down"]);

    public Task StartPostgresAsync() => RunAsync("infra.sh", ["pg-up"]);

    private async Task RunAsync(string script, string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(settings.RootDir, "scripts", script)) { RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {script}");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {string.Join(' ', arguments)} failed ({process.ExitCode}): {output}");
        }
    }
}
